import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileStore } from './file-store.js';
import { KeyExistsError, KeyStoreError } from './key-store.js';
import { preflightCheck } from './preflight.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s));

test('file store: 0700 directory, 0600 files, values read back, delete is idempotent', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'arca-unsealer-')), 'keys');
  const warnings: string[] = [];
  const store = await openFileStore(dir, (m) => warnings.push(m));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  await store.create('vault-unseal-0', bytes('abc123'));
  assert.equal(statSync(join(dir, 'vault-unseal-0')).mode & 0o777, 0o600);
  assert.equal(readFileSync(join(dir, 'vault-unseal-0'), 'utf8'), 'abc123', 'Bank-Vaults layout: the file holds the value');
  assert.equal(Buffer.from((await store.get('vault-unseal-0'))!).toString(), 'abc123');
  assert.equal(await store.get('vault-unseal-1'), undefined);
  await store.delete('vault-unseal-0');
  await store.delete('vault-unseal-0');
  assert.equal(await store.get('vault-unseal-0'), undefined);
  assert.deepEqual(readdirSync(dir), [], 'no temporary files left behind');
  assert.deepEqual(warnings, []);
});

test('file store never replaces a key and rejects names that would leave the directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-unsealer-'));
  const store = await openFileStore(dir, () => {});
  await store.create('vault-root', bytes('first'));
  await assert.rejects(store.create('vault-root', bytes('second')), (e: unknown) => e instanceof KeyExistsError && !e.message.includes('second'));
  assert.equal(readFileSync(join(dir, 'vault-root'), 'utf8'), 'first');
  for (const bad of ['../x', '.hidden', 'a/b', '']) await assert.rejects(store.get(bad), KeyStoreError);
});

test('file store warns about a directory others can read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-unsealer-'));
  chmodSync(dir, 0o755);
  const warnings: string[] = [];
  await openFileStore(dir, (m) => warnings.push(m));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /chmod 700/);
});

test('pre-flight check writes, reads and deletes vault-test, clearing a stale one first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-unsealer-'));
  const store = await openFileStore(dir, () => {});
  await store.create('vault-test', bytes('left over'));
  await preflightCheck(store);
  assert.deepEqual(readdirSync(dir), []);
});
