/**
 * `arca unsealer` with the file store against real `arca server` processes (SQLite, Shamir):
 * the loop initialises and unseals a new node, keeps going while the node is down, unseals it
 * again after a restart and after an API seal; a second init is a no-op; a partial unseal left
 * by someone else is reset; a store that holds keys for an uninitialised node is refused and
 * left untouched; --init-root-token installs the requested root token (also when another
 * unsealer does the unsealing). No key or token ever
 * appears in the unsealer's output.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient } from './support/api.js';
import { spawnServer, sqliteConfig, type ServerChild } from './support/process.js';
import { assertNoSecrets, freePort, sealStatus, startUnsealer, storeContents, unsealer, waitForStatus } from './support/unsealer.js';

function fileArgs(keys: string): string[] {
  return ['--mode=file', `--file-path=${keys}`, '--unseal-period=200ms'];
}

describe('arca unsealer, file store, real server processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-unsealer-file-'));
  const keys = join(dir, 'keys');
  let config: Record<string, unknown>;
  let server: ServerChild | undefined;
  const outputs: string[] = [];
  const env = () => ({ HOME: dir, VAULT_ADDR: server!.url });

  after(async () => { await server?.stop(); });

  test('unseal --init initialises and unseals a new node, rides out a restart and an API seal', async () => {
    const port = await freePort();
    config = sqliteConfig(dir, { listener: { tcp: { address: `127.0.0.1:${port}`, tls_disable: true } } });
    server = await spawnServer(config, dir);
    assert.equal((await sealStatus(server.url)).initialized, false);

    const loop = startUnsealer(['unsealer', 'unseal', '--init', ...fileArgs(keys)], env());
    try {
      await waitForStatus(server.url, (s) => s.initialized && !s.sealed);
      const stored = storeContents(keys);
      assert.deepEqual(Object.keys(stored), ['vault-root', 'vault-unseal-0', 'vault-unseal-1', 'vault-unseal-2', 'vault-unseal-3', 'vault-unseal-4']);
      assert.equal(statSync(keys).mode & 0o777, 0o700);
      for (const name of Object.keys(stored)) assert.equal(statSync(join(keys, name)).mode & 0o777, 0o600, name);
      assert.equal((await apiClient(server.url, stored['vault-root']).call('GET', 'auth/token/lookup-self')).json.data.policies[0], 'root');

      // Down: the loop keeps trying; restarted (sealed): the loop unseals it.
      await server.stop();
      let mark = loop.output().length;
      await loop.waitFor(/server not reachable/, mark);
      server = await spawnServer(config, dir);
      mark = loop.output().length;
      await waitForStatus(server.url, (s) => !s.sealed);
      await loop.waitFor(/server unsealed/, mark);

      // Sealed through the API while the loop runs: unsealed again.
      assert.equal((await apiClient(server.url, stored['vault-root']).call('PUT', 'sys/seal')).status, 204);
      await waitForStatus(server.url, (s) => !s.sealed);
    } finally {
      assert.equal(await loop.stop(), 0, 'the loop exits 0 on SIGTERM');
    }
    outputs.push(loop.output());
    assert.match(loop.output(), /pre-flight check of the key store passed/);
    assert.match(loop.output(), /sent vault-unseal-2/);
  });

  test('a second init is a no-op and changes nothing in the store', async () => {
    const before = storeContents(keys);
    const run = await unsealer(['unsealer', 'init', ...fileArgs(keys)], env());
    outputs.push(run.output);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /already initialized; nothing to do/);
    assert.deepEqual(storeContents(keys), before);
  });

  test('a partial unseal left by someone else is reset, then --once unseals and exits 0', async () => {
    const stored = storeContents(keys);
    assert.equal((await apiClient(server!.url, stored['vault-root']).call('PUT', 'sys/seal')).status, 204);
    const partial = (await apiClient(server!.url).call('PUT', 'sys/unseal', { key: stored['vault-unseal-4'] })).json;
    assert.equal(partial.progress, 1);
    const run = await unsealer(['unsealer', 'unseal', '--once', ...fileArgs(keys)], env());
    outputs.push(run.output);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /partial unseal attempt \(1\/3 shares\) is pending; resetting it/);
    assert.equal((await sealStatus(server!.url)).sealed, false);
    // Already unsealed: --once succeeds without sending anything.
    const again = await unsealer(['unsealer', 'unseal', '--once', ...fileArgs(keys)], env());
    outputs.push(again.output);
    assert.equal(again.code, 0, again.output);
    assert.doesNotMatch(again.output, /sent vault-unseal/);
  });

  test('keys in the store but an uninitialised server: init refuses loudly and overwrites nothing', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'arca-unsealer-wiped-'));
    const copied = join(fresh, 'keys');
    cpSync(keys, copied, { recursive: true });
    const before = storeContents(copied);
    const wiped = await spawnServer(sqliteConfig(fresh), fresh);
    try {
      for (const args of [['unsealer', 'init'], ['unsealer', 'unseal', '--init', '--once']]) {
        const run = await unsealer([...args, ...fileArgs(copied)], { HOME: fresh, VAULT_ADDR: wiped.url });
        outputs.push(run.output);
        assert.equal(run.code, 1, run.output);
        assert.match(run.output, /refusing to initialize .* NOT initialized, but file store in .* already holds vault-root, vault-unseal-0/);
        assert.match(run.output, /lost its storage .* or this is the wrong key store/);
      }
      assert.equal((await sealStatus(wiped.url)).initialized, false, 'the server was left alone');
      assert.deepEqual(storeContents(copied), before, 'the stored keys are untouched');
    } finally {
      await wiped.stop();
    }
  });

  test('--init-root-token installs the requested root token and stores it as vault-root', async () => {
    const other = mkdtempSync(join(tmpdir(), 'arca-unsealer-roottoken-'));
    const otherKeys = join(other, 'keys');
    const node = await spawnServer(sqliteConfig(other), other);
    try {
      const run = await unsealer(['unsealer', 'unseal', '--init', '--once', '--init-root-token=my-chosen-root', '--secret-shares=3', '--secret-threshold=2', ...fileArgs(otherKeys)], { HOME: other, VAULT_ADDR: node.url });
      outputs.push(run.output);
      assert.equal(run.code, 0, run.output);
      const stored = storeContents(otherKeys);
      assert.deepEqual(Object.keys(stored), ['vault-root', 'vault-unseal-0', 'vault-unseal-1', 'vault-unseal-2']);
      assert.equal(stored['vault-root'], 'my-chosen-root');
      const self = await apiClient(node.url, 'my-chosen-root').call('GET', 'auth/token/lookup-self');
      assert.equal(self.status, 200);
      assert.deepEqual(self.json.data.policies, ['root']);
      assertNoSecrets(run.output, [stored['vault-root'], stored['vault-unseal-0'], stored['vault-unseal-1']]);
    } finally {
      await node.stop();
    }
  });

  test('init with --init-root-token waits for an unseal by someone else; --store-root-token=false keeps no token', async () => {
    const other = mkdtempSync(join(tmpdir(), 'arca-unsealer-split-'));
    const otherKeys = join(other, 'keys');
    const node = await spawnServer(sqliteConfig(other), other);
    try {
      const nodeEnv = { HOME: other, VAULT_ADDR: node.url };
      const init = startUnsealer(['unsealer', 'init', '--init-root-token=split-root', '--store-root-token=false', ...fileArgs(otherKeys)], nodeEnv);
      await init.waitFor(/waiting for the server to be unsealed/);
      const unseal = await unsealer(['unsealer', 'unseal', '--once', ...fileArgs(otherKeys)], nodeEnv);
      outputs.push(unseal.output);
      assert.equal(unseal.code, 0, unseal.output);
      assert.equal(await init.exited(), 0, init.output());
      outputs.push(init.output());
      assert.deepEqual(Object.keys(storeContents(otherKeys)), ['vault-unseal-0', 'vault-unseal-1', 'vault-unseal-2', 'vault-unseal-3', 'vault-unseal-4']);
      assert.equal((await apiClient(node.url, 'split-root').call('GET', 'auth/token/lookup-self')).status, 200);
      assert.ok(!init.output().includes('split-root'));
    } finally {
      await node.stop();
    }
  });

  test('no key or token reached the unsealer output', () => {
    const stored = storeContents(keys);
    assertNoSecrets(outputs.join('\n'), Object.values(stored));
  });
});
