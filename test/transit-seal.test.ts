/**
 * `seal "transit"` with two real server processes on loopback: A (durable, Shamir) serves the
 * transit key; B (durable) auto-unseals through it. B comes back unsealed across restarts;
 * with A down, B stays sealed and says why, then unseals by itself once A is back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient, type Api } from './support/api.js';
import { spawnServer, sqliteConfig, type ServerChild } from './support/process.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(api: Api, check: (status: any) => boolean, limitMs = 45_000): Promise<any> {
  const deadline = Date.now() + limitMs;
  let status: any;
  while (Date.now() < deadline) {
    status = (await api.call('GET', 'sys/seal-status')).json;
    if (check(status)) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not reached; last status ${JSON.stringify(status)}`);
}

async function waitForOutput(child: ServerChild, pattern: RegExp, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (pattern.test(child.output())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`output never matched ${pattern}:\n${child.output()}`);
}

const policy = `
path "transit/encrypt/autounseal" { capabilities = ["update"] }
path "transit/decrypt/autounseal" { capabilities = ["update"] }
`;

test('B auto-unseals through A across restarts; with A down B stays sealed with a clear error and recovers', { timeout: 180_000 }, async () => {
  const dirA = mkdtempSync(join(tmpdir(), 'arca-transit-a-'));
  const dirB = mkdtempSync(join(tmpdir(), 'arca-transit-b-'));
  const portA = await freePort();
  const configA = sqliteConfig(dirA, { listener: { tcp: { address: `127.0.0.1:${portA}`, tls_disable: true } } });
  const running: ServerChild[] = [];
  const start = async (config: Record<string, unknown>, dir: string) => {
    const child = await spawnServer(config, dir, { VAULT_ADDR: '', VAULT_TOKEN: '' });
    running.push(child);
    return child;
  };
  const stop = async (child: ServerChild) => {
    await child.stop();
    running.splice(running.indexOf(child), 1);
  };
  try {
    // A: a durable node with Shamir, a transit key and a token limited to it.
    let a = await start(configA, dirA);
    const apiA = apiClient(a.url);
    const initA = await apiA.call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
    assert.equal(initA.status, 200, initA.text);
    const unsealKeyA: string = initA.json.keys_base64[0];
    assert.equal((await apiA.call('PUT', 'sys/unseal', { key: unsealKeyA })).json.sealed, false);
    apiA.token = initA.json.root_token;
    assert.equal((await apiA.call('POST', 'sys/mounts/transit', { type: 'transit' })).status, 204);
    assert.equal((await apiA.call('POST', 'transit/keys/autounseal', {})).status, 200);
    assert.equal((await apiA.call('PUT', 'sys/policies/acl/autounseal', { policy })).status, 204);
    const token = await apiA.call('POST', 'auth/token/create', { policies: ['autounseal'], period: '24h' });
    assert.equal(token.status, 200, token.text);

    const configB = sqliteConfig(dirB, {
      seal: { transit: { address: a.url, token: token.json.auth.client_token, mount_path: 'transit/', key_name: 'autounseal' } },
    });

    // B: initialise with recovery keys; it unseals through A at once.
    let b = await start(configB, dirB);
    let apiB = apiClient(b.url);
    const before = (await apiB.call('GET', 'sys/seal-status')).json;
    assert.equal(before.type, 'transit');
    assert.equal(before.recovery_seal, true);
    const initB = await apiB.call('PUT', 'sys/init', { recovery_shares: 1, recovery_threshold: 1 });
    assert.equal(initB.status, 200, initB.text);
    assert.deepEqual(initB.json.keys, []);
    const rootB: string = initB.json.root_token;
    await until(apiB, (s) => s.sealed === false);
    apiB.token = rootB;
    assert.equal((await apiB.call('POST', 'sys/mounts/kv', { type: 'kv' })).status, 204);
    assert.equal((await apiB.call('PUT', 'kv/app', { password: 'through-transit' })).status, 204);
    await stop(b);

    // Restarts of B unseal with no human.
    for (let restart = 1; restart <= 2; restart++) {
      b = await start(configB, dirB);
      apiB = apiClient(b.url, rootB);
      await until(apiB, (s) => s.sealed === false);
      const read = await apiB.call('GET', 'kv/app');
      assert.equal(read.status, 200, `restart ${restart}`);
      assert.equal(read.json.data.password, 'through-transit');
      await stop(b);
    }

    // A down: B starts sealed and says why.
    await stop(a);
    b = await start(configB, dirB);
    apiB = apiClient(b.url, rootB);
    await waitForOutput(b, new RegExp(`transit seal: cannot reach http://127\\.0\\.0\\.1:${portA}: ECONNREFUSED`));
    const sealed = (await apiB.call('GET', 'sys/seal-status')).json;
    assert.equal(sealed.sealed, true);
    assert.equal(sealed.initialized, true);
    assert.equal((await apiB.call('GET', 'kv/app')).status, 503);
    assert.equal((await apiB.call('GET', 'sys/health')).status, 503);

    // A back (same port, unsealed by its operator): B unseals by itself.
    a = await start(configA, dirA);
    assert.equal((await apiClient(a.url).call('PUT', 'sys/unseal', { key: unsealKeyA })).json.sealed, false);
    await until(apiB, (s) => s.sealed === false);
    const read = await apiB.call('GET', 'kv/app');
    assert.equal(read.status, 200, read.text);
    assert.equal(read.json.data.password, 'through-transit');
  } finally {
    for (const child of [...running]) await child.stop();
  }
});
