/**
 * `arca unsealer --mode=vault`: keys kept in KV v2 of a second, real Arca (an in-process dev
 * server) exactly as Bank-Vaults keeps them (`<path>/<key>` holding field `<key>` = base64),
 * for a real server process. The logical path and Bank-Vaults' `.../data/...` path reach the
 * same secrets; keys are written with cas=0 so the holder itself refuses to replace one; an
 * uninitialised node meeting stored keys is refused; a bad token fails without being printed.
 */
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient } from './support/api.js';
import { spawnServer, sqliteConfig, type ServerChild } from './support/process.js';
import { startDevServer, type DevServer } from './support/server.js';
import { assertNoSecrets, sealStatus, unsealer } from './support/unsealer.js';
import { openVaultStore } from '../src/unsealer/vault-store.js';
import { KeyExistsError } from '../src/unsealer/key-store.js';

describe('arca unsealer, vault store in a second Arca', () => {
  let holder: DevServer;
  let target: ServerChild;
  const dir = mkdtempSync(join(tmpdir(), 'arca-unsealer-vault-'));
  const outputs: string[] = [];
  const args = () => ['--mode=vault', `--vault-addr=${holder.server.addresses[0]}`];
  const env = () => ({ HOME: dir, VAULT_ADDR: target.url, BANK_VAULTS_VAULT_TOKEN: holder.rootToken });
  const read = async (key: string) => (await holder.api.call('GET', `secret/data/unseal-keys/${key}`)).json?.data?.data?.[key] as string | undefined;

  before(async () => {
    holder = await startDevServer();
    target = await spawnServer(sqliteConfig(dir), dir);
  });
  after(async () => { await target?.stop(); await holder?.close(); });

  test('init stores the keys in KV v2 in Bank-Vaults layout and unseals', async () => {
    const run = await unsealer(['unsealer', 'unseal', '--init', '--once', ...args(), '--vault-unseal-keys-path=secret/unseal-keys'], env());
    outputs.push(run.output);
    assert.equal(run.code, 0, run.output);
    assert.equal((await sealStatus(target.url)).sealed, false);
    for (let i = 0; i < 5; i++) {
      const value = await read(`vault-unseal-${i}`);
      assert.match(Buffer.from(value!, 'base64').toString(), /^[0-9a-f]{66}$/, `vault-unseal-${i} is base64 of the hex share`);
    }
    assert.ok(await read('vault-root'));
    assert.equal(await read('vault-unseal-5'), undefined);
    assert.equal((await holder.api.call('GET', 'secret/metadata/unseal-keys/vault-test')).status, 404, 'the pre-flight key is gone');
  });

  test("Bank-Vaults' secret/data/... path reaches the same keys; sealed again, --once unseals", async () => {
    const root = Buffer.from((await read('vault-root'))!, 'base64').toString();
    assert.equal((await apiClient(target.url, root).call('PUT', 'sys/seal')).status, 204);
    const run = await unsealer(['unsealer', 'unseal', '--once', ...args(), '--vault-unseal-keys-path=secret/data/unseal-keys'], env());
    outputs.push(run.output);
    assert.equal(run.code, 0, run.output);
    assert.equal((await sealStatus(target.url)).sealed, false);
  });

  test('the holder refuses to replace a stored key (cas=0); a second init is a no-op', async () => {
    const store = openVaultStore({ address: holder.server.addresses[0], unsealKeysPath: 'secret/unseal-keys', token: holder.rootToken, skipVerify: false });
    try {
      await assert.rejects(store.create('vault-root', new Uint8Array(Buffer.from('replacement'))), KeyExistsError);
    } finally {
      await store.close();
    }
    const meta = await holder.api.call('GET', 'secret/metadata/unseal-keys/vault-root');
    assert.equal(meta.json.data.current_version, 1);
    const run = await unsealer(['unsealer', 'init', ...args(), '--vault-unseal-keys-path=secret/unseal-keys'], env());
    outputs.push(run.output);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /already initialized/);
  });

  test('an uninitialised node meeting stored keys is refused; nothing is written', async () => {
    const freshDir = mkdtempSync(join(tmpdir(), 'arca-unsealer-vault-wiped-'));
    const fresh = await spawnServer(sqliteConfig(freshDir), freshDir);
    try {
      const run = await unsealer(['unsealer', 'init', ...args(), '--vault-unseal-keys-path=secret/unseal-keys'], { ...env(), VAULT_ADDR: fresh.url });
      outputs.push(run.output);
      assert.equal(run.code, 1, run.output);
      assert.match(run.output, /refusing to initialize/);
      assert.equal((await sealStatus(fresh.url)).initialized, false);
      assert.equal((await holder.api.call('GET', 'secret/metadata/unseal-keys/vault-unseal-0')).json.data.current_version, 1);
    } finally {
      await fresh.stop();
    }
  });

  test('a token the holder rejects fails with the status, not the token', async () => {
    const run = await unsealer(['unsealer', 'unseal', '--once', ...args(), '--vault-unseal-keys-path=secret/unseal-keys'], { ...env(), BANK_VAULTS_VAULT_TOKEN: 'not-a-real-token-123' });
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /key store check failed: .*403/);
    assert.ok(!run.output.includes('not-a-real-token-123'));
  });

  test('no key or token reached the output', async () => {
    const secrets = [holder.rootToken];
    for (const key of ['vault-root', 'vault-unseal-0', 'vault-unseal-1', 'vault-unseal-2', 'vault-unseal-3', 'vault-unseal-4']) {
      secrets.push(Buffer.from((await read(key))!, 'base64').toString());
    }
    assertNoSecrets(outputs.join('\n'), secrets);
  });
});
