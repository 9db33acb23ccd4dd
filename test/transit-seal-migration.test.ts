/** Shamir → transit seal migration: the unseal keys become recovery keys and data survives. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, startDurableServer } from './support/server.js';

test('a Shamir node migrates to seal "transit" with its unseal keys and then unseals by itself', { timeout: 120_000 }, async () => {
  const a = await startDevServer();
  const dir = mkdtempSync(join(tmpdir(), 'arca-transit-migrate-'));
  try {
    assert.equal((await a.api.call('POST', 'sys/mounts/transit', { type: 'transit' })).status, 204);
    assert.ok([200, 204].includes((await a.api.call('POST', 'transit/keys/autounseal', {})).status));
    const sealStanza = { type: 'transit', disabled: false, options: { address: a.api.url, token: a.rootToken, mount_path: 'transit/', key_name: 'autounseal' } };

    let node = await startDurableServer(dir);
    const init = (await node.api.call('PUT', 'sys/init', { secret_shares: 3, secret_threshold: 2 })).json;
    for (const key of init.keys.slice(0, 2)) await node.api.call('PUT', 'sys/unseal', { key });
    node.api.token = init.root_token;
    assert.equal((await node.api.call('POST', 'sys/mounts/kv', { type: 'kv' })).status, 204);
    assert.equal((await node.api.call('PUT', 'kv/app', { v: 'before migration' })).status, 204);
    await node.close();

    node = await startDurableServer(dir, { seals: [sealStanza] });
    const pending = (await node.api.call('GET', 'sys/seal-status')).json;
    assert.equal(pending.sealed, true);
    assert.equal(pending.migration, true);
    assert.equal(pending.type, 'transit');
    let last: any;
    for (const key of init.keys.slice(1, 3)) last = (await node.api.call('PUT', 'sys/unseal', { key, migrate: true })).json;
    assert.equal(last.sealed, false);
    assert.equal(last.recovery_seal, true);
    assert.deepEqual((await node.api.call('GET', 'kv/app', undefined, { 'X-Vault-Token': init.root_token })).json.data, { v: 'before migration' });
    await node.close();

    node = await startDurableServer(dir, { seals: [sealStanza] });
    const deadline = Date.now() + 30_000;
    let status: any;
    do {
      status = (await node.api.call('GET', 'sys/seal-status')).json;
      if (!status.sealed) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    assert.equal(status.sealed, false, 'restarts unseal through A with no human');
    assert.equal(status.migration, false);
    assert.deepEqual((await node.api.call('GET', 'kv/app', undefined, { 'X-Vault-Token': init.root_token })).json.data, { v: 'before migration' });
    await node.close();
  } finally {
    await a.close();
  }
});
