/**
 * A durable (SQLite) node through its whole key ceremony: init 5/3, restart sealed, unseal
 * with shares out of order, data survives restarts and keyring rotation, rekey to 7/4
 * retires the old shares, generate-root yields a working root token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDurableServer, type Api } from './support/server.js';
import { xorDecode } from '../src/core/ceremony/generate-root.js';

async function unsealWith(api: Api, keys: string[]): Promise<any> {
  let status: any;
  for (const key of keys) status = (await api.call('PUT', 'sys/unseal', { key })).json;
  return status;
}

test('durable node: init, restart, unseal in any order, rotate, rekey, generate-root', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-durable-'));
  let node = await startDurableServer(dataDir);
  let keys: string[];
  let rootToken: string;
  try {
    assert.deepEqual((await node.api.call('GET', 'sys/init')).json, { initialized: false });
    assert.equal((await node.api.call('GET', 'sys/health')).status, 501);
    const badInit = await node.api.call('PUT', 'sys/init', { secret_shares: 3, secret_threshold: 4 });
    assert.equal(badInit.status, 400);
    assert.deepEqual(badInit.json.errors, ['threshold cannot be larger than shares']);
    assert.equal((await node.api.call('PUT', 'sys/init', { secret_shares: 256, secret_threshold: 3 })).status, 400);
    assert.equal((await node.api.call('PUT', 'sys/init', { secret_shares: 5, secret_threshold: 1 })).status, 400);
    const init = await node.api.call('PUT', 'sys/init', { secret_shares: 5, secret_threshold: 3 });
    assert.equal(init.status, 200);
    keys = init.json.keys;
    rootToken = init.json.root_token;
    assert.equal(keys.length, 5);
    assert.equal(init.json.keys_base64.length, 5);
    assert.match(rootToken, /^hvs\./);
    assert.equal((await node.api.call('PUT', 'sys/init', { secret_shares: 5, secret_threshold: 3 })).json.errors[0], 'Vault is already initialized');
    // Init does not unseal a Shamir server.
    assert.equal((await node.api.call('GET', 'sys/seal-status')).json.sealed, true);
    const status = await unsealWith(node.api, [keys[0], init.json.keys_base64[1], keys[2]]);
    assert.equal(status.sealed, false);
    node.api.token = rootToken;
    assert.equal((await node.api.call('POST', 'sys/mounts/kv', { type: 'kv' })).status, 204);
    assert.equal((await node.api.call('PUT', 'kv/app', { password: 'before-restart' })).status, 204);
  } finally {
    await node.close();
  }

  node = await startDurableServer(dataDir);
  try {
    node.api.token = rootToken;
    const sealed = (await node.api.call('GET', 'sys/seal-status')).json;
    assert.equal(sealed.sealed, true);
    assert.equal(sealed.t, 3);
    assert.equal(sealed.n, 5);
    assert.equal((await node.api.call('GET', 'kv/app')).status, 503);
    // Progress, a duplicate share refused, reset.
    assert.equal((await node.api.call('PUT', 'sys/unseal', { key: keys[4] })).json.progress, 1);
    const duplicate = await node.api.call('PUT', 'sys/unseal', { key: keys[4] });
    assert.equal(duplicate.status, 400);
    assert.equal((await node.api.call('PUT', 'sys/unseal', { reset: true })).json.progress, 0);
    assert.equal((await node.api.call('PUT', 'sys/unseal', { key: 'zz-not-a-key' })).status, 400);
    assert.equal((await node.api.call('PUT', 'sys/unseal', {})).status, 400);
    // Shares 5, 1, 3 in that order.
    const status = await unsealWith(node.api, [keys[4], keys[0], keys[2]]);
    assert.equal(status.sealed, false);
    assert.deepEqual((await node.api.call('GET', 'kv/app')).json.data, { password: 'before-restart' });

    const before = (await node.api.call('GET', 'sys/key-status')).json;
    assert.equal(before.data.term, 1);
    assert.equal(before.term, 1); // top-level injection
    assert.equal((await node.api.call('PUT', 'sys/rotate')).status, 204);
    assert.equal((await node.api.call('GET', 'sys/key-status')).json.data.term, 2);
    assert.equal((await node.api.call('PUT', 'kv/after-rotate', { v: 'term2' })).status, 204);
  } finally {
    await node.close();
  }

  node = await startDurableServer(dataDir);
  try {
    node.api.token = rootToken;
    await unsealWith(node.api, [keys[1], keys[3], keys[0]]);
    assert.deepEqual((await node.api.call('GET', 'kv/app')).json.data, { password: 'before-restart' });
    assert.deepEqual((await node.api.call('GET', 'kv/after-rotate')).json.data, { v: 'term2' });

    // Rekey to 7/4.
    const start = await node.api.call('PUT', 'sys/rekey/init', { secret_shares: 7, secret_threshold: 4 });
    assert.equal(start.status, 200);
    assert.equal(start.json.started, true);
    const nonce = start.json.nonce;
    assert.equal((await node.api.call('PUT', 'sys/rekey/init', { secret_shares: 7, secret_threshold: 4 })).status, 400);
    assert.equal((await node.api.call('PUT', 'sys/rekey/update', { key: keys[0], nonce: 'wrong' })).status, 400);
    let done: any;
    for (const key of [keys[0], keys[1], keys[2]]) done = (await node.api.call('PUT', 'sys/rekey/update', { key, nonce })).json;
    assert.equal(done.complete, true);
    assert.equal(done.keys.length, 7);
    const newKeys: string[] = done.keys;

    await node.api.call('PUT', 'sys/seal');
    const old = await unsealWith(node.api, [keys[0], keys[1], keys[2]]);
    assert.equal(old.sealed, true, 'old shares must not unseal after a rekey');
    await node.api.call('PUT', 'sys/unseal', { reset: true });
    assert.equal((await unsealWith(node.api, newKeys.slice(0, 3))).sealed, true, 'three of the new 7/4 shares are not enough');
    assert.equal((await unsealWith(node.api, [newKeys[6]])).sealed, false);

    // Generate a new root token with the new shares (OTP scheme).
    const attempt = await node.api.call('PUT', 'sys/generate-root/attempt', {});
    assert.equal(attempt.status, 200);
    const otp: string = attempt.json.otp;
    assert.equal(otp.length, attempt.json.otp_length);
    assert.equal((await node.api.call('GET', 'sys/generate-root/attempt')).json.otp, '');
    let result: any;
    for (const key of newKeys.slice(2, 6)) result = (await node.api.call('PUT', 'sys/generate-root/update', { key, nonce: attempt.json.nonce })).json;
    assert.equal(result.complete, true);
    const newRoot = xorDecode(result.encoded_token, otp);
    assert.match(newRoot, /^hvs\./);
    const withNewRoot = await node.api.call('GET', 'kv/app', undefined, { 'X-Vault-Token': newRoot });
    assert.equal(withNewRoot.status, 200);
  } finally {
    await node.close();
  }
});

test('generate-root refuses wrong shares and slows a client down after repeated failures', async () => {
  const node = await startDurableServer();
  try {
    const init = await node.api.call('PUT', 'sys/init', { secret_shares: 3, secret_threshold: 2 });
    await unsealWith(node.api, init.json.keys.slice(0, 2));
    const other = await startDurableServer();
    const foreign = (await other.api.call('PUT', 'sys/init', { secret_shares: 3, secret_threshold: 2 })).json.keys;
    await other.close();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const attempt = await node.api.call('PUT', 'sys/generate-root/attempt', {});
      if (attempt.status !== 200) {
        statuses.push(attempt.status);
        await node.api.call('DELETE', 'sys/generate-root/attempt');
        continue;
      }
      await node.api.call('PUT', 'sys/generate-root/update', { key: foreign[0], nonce: attempt.json.nonce });
      const res = await node.api.call('PUT', 'sys/generate-root/update', { key: foreign[1], nonce: attempt.json.nonce });
      statuses.push(res.status);
      await node.api.call('DELETE', 'sys/generate-root/attempt');
    }
    assert.equal(statuses[0], 400, 'wrong shares are refused');
    assert.ok(statuses.includes(429), `repeated failures are throttled: ${statuses}`);
  } finally {
    await node.close();
  }
});
