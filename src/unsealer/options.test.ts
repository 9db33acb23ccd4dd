import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseFlags } from '../cli/flags.js';
import { withEnv } from './env-flags.js';
import { UNSEAL_FLAGS } from './flags.js';
import { parsePeriodMs, resolveOptions } from './options.js';

function resolve(argv: string[], env: Record<string, string> = {}) {
  const parsed = parseFlags(UNSEAL_FLAGS, argv);
  return resolveOptions(withEnv(UNSEAL_FLAGS, parsed.flags, parsed.set, env), () => 'token-from-file\n');
}

test('Bank-Vaults defaults: 5 shares, threshold 3, 5s period, root token stored, pre-flight on, key label bank-vaults', () => {
  const o = resolve(['--mode=file', '--file-path=/k']);
  assert.equal(o.secretShares, 5);
  assert.equal(o.secretThreshold, 3);
  assert.equal(o.unsealPeriodMs, 5000);
  assert.equal(o.storeRootToken, true);
  assert.equal(o.preFlightChecks, true);
  assert.equal(o.once, false);
  assert.equal(o.init, false);
  assert.equal(o.auto, false);
  assert.deepEqual(o.file, { path: '/k' });
  const h = resolve(['--mode=hsm', '--hsm-module-path=/lib.so', '--hsm-pin=1234']);
  assert.deepEqual(h.hsm, { modulePath: '/lib.so', slotId: 0, pin: '1234', keyLabel: 'bank-vaults' });
});

test('env: flag beats ARCA_UNSEALER_* beats BANK_VAULTS_* beats the default', () => {
  const env = { BANK_VAULTS_SECRET_SHARES: '7', BANK_VAULTS_SECRET_THRESHOLD: '4', ARCA_UNSEALER_SECRET_THRESHOLD: '2', BANK_VAULTS_MODE: 'file', BANK_VAULTS_FILE_PATH: '/bv', BANK_VAULTS_ONCE: 'true', BANK_VAULTS_STORE_ROOT_TOKEN: 'false', BANK_VAULTS_UNSEAL_PERIOD: '250ms' };
  const o = resolve([], env);
  assert.equal(o.secretShares, 7);
  assert.equal(o.secretThreshold, 2);
  assert.equal(o.once, true);
  assert.equal(o.storeRootToken, false);
  assert.equal(o.unsealPeriodMs, 250);
  assert.deepEqual(o.file, { path: '/bv' });
  assert.equal(resolve(['--secret-shares=3', '--once=false'], env).secretShares, 3);
  assert.equal(resolve(['--once=false'], env).once, false);
});

test('vault mode: token from flag, env or token file; path trimmed', () => {
  const base = ['--mode=vault', '--vault-addr=http://k:8200', '--vault-unseal-keys-path=/secret/unseal-keys/'];
  assert.equal(resolve([...base, '--vault-token=t1']).vault?.token, 't1');
  assert.equal(resolve(base, { BANK_VAULTS_VAULT_TOKEN: 't2' }).vault?.token, 't2');
  assert.equal(resolve([...base, '--vault-token-path=/f']).vault?.token, 'token-from-file');
  assert.equal(resolve([...base, '--vault-token=t1']).vault?.unsealKeysPath, 'secret/unseal-keys');
});

test('bad settings are usage errors that name the flag', () => {
  assert.throws(() => resolve([]), (e: unknown) => e instanceof FlagError && /--mode is required/.test(e.message));
  assert.throws(() => resolve(['--mode=k8s']), /unsupported --mode "k8s"/);
  assert.throws(() => resolve(['--mode=file']), /--file-path is required/);
  assert.throws(() => resolve(['--mode=hsm', '--hsm-module-path=/x']), /--hsm-pin is required/);
  assert.throws(() => resolve(['--mode=vault', '--vault-addr=http://k', '--vault-unseal-keys-path=s/p']), /--vault-token or --vault-token-path/);
  assert.throws(() => resolve(['--mode=file', '--file-path=/k', '--secret-threshold=6']), /--secret-threshold/);
  assert.throws(() => resolve(['--mode=file', '--file-path=/k', '--unseal-period=soon']), /--unseal-period/);
  assert.throws(() => resolve([], { BANK_VAULTS_ONCE: 'maybe' }), /BANK_VAULTS_ONCE/);
});

test('periods: Go durations, milliseconds, plain seconds', () => {
  assert.equal(parsePeriodMs('5s'), 5000);
  assert.equal(parsePeriodMs('1m'), 60_000);
  assert.equal(parsePeriodMs('200ms'), 200);
  assert.equal(parsePeriodMs('3'), 3000);
  assert.equal(parsePeriodMs('x'), undefined);
});
