/**
 * Seal wrapping wired into the server: on a pkcs11 node, a KV mount with `seal_wrap=true`
 * stores entries that the barrier key alone cannot open (HSM ciphertext inside the barrier
 * encryption); after pkcs11 → Shamir migration they are unwrapped in the same transaction and
 * the data still reads, on the migrating node and after a restart on Shamir alone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SealStanza } from '../src/config/types.js';
import type { SecurityBarrier } from '../src/barrier/types.js';
import { isSealWrapped } from '../src/barrier/seal-wrap.js';
import { startDurableServer, type Api } from './support/server.js';
import { createSoftHsmToken, requireSoftHsm, type SoftHsmToken } from './support/softhsm.js';
import { rootKeyThroughHsm, withBarrierKeyAlone } from './support/sealed-node-storage.js';

const skip = requireSoftHsm('seal wrapping in the server');
const SECRET = 'hunter2-seal-wrapped';

const pkcs11 = (token: SoftHsmToken, disabled = false): SealStanza => ({ type: 'pkcs11', disabled, options: token.sealOptions() });

async function allEntries(barrier: SecurityBarrier, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const key of await barrier.list(prefix)) {
    if (key.endsWith('/')) out.push(...(await allEntries(barrier, prefix + key)));
    else out.push(prefix + key);
  }
  return out;
}

async function readSecret(api: Api, root: string): Promise<string> {
  const r = await api.call('GET', 'wrapped/app', undefined, { 'X-Vault-Token': root });
  assert.equal(r.status, 200, r.text);
  return r.json.data.password;
}

describe('seal wrapping (server)', { skip }, () => {
  test('pkcs11 node: seal_wrap mount entries are HSM-wrapped; pkcs11 → Shamir unwraps them and the data reads', async () => {
    const token = createSoftHsmToken();
    const dataDir = mkdtempSync(join(tmpdir(), 'arca-sealwrap-'));
    let recovery: string[];
    let root: string;
    let uuid: string;
    let plainUuid: string;
    let node = await startDurableServer(dataDir, { seals: [pkcs11(token)] });
    try {
      const init = (await node.api.call('PUT', 'sys/init', { recovery_shares: 1, recovery_threshold: 1 })).json;
      recovery = init.recovery_keys;
      root = init.root_token;
      node.api.token = root;
      for (let i = 0; i < 200 && (await node.api.call('GET', 'sys/seal-status')).json.sealed; i++) await new Promise((r) => setTimeout(r, 25));
      assert.equal((await node.api.call('POST', 'sys/mounts/wrapped', { type: 'kv', seal_wrap: true })).status, 204);
      assert.equal((await node.api.call('POST', 'sys/mounts/plain', { type: 'kv' })).status, 204);
      assert.equal((await node.api.call('PUT', 'wrapped/app', { password: SECRET })).status, 204);
      assert.equal((await node.api.call('PUT', 'plain/app', { password: SECRET })).status, 204);
      assert.equal(await readSecret(node.api, root), SECRET);
      const mounts = (await node.api.call('GET', 'sys/mounts')).json.data;
      assert.equal(mounts['wrapped/'].seal_wrap, true);
      uuid = mounts['wrapped/'].uuid;
      plainUuid = mounts['plain/'].uuid;
    } finally {
      await node.close();
    }

    const rootKey = await rootKeyThroughHsm(dataDir, token.sealOptions());
    await withBarrierKeyAlone(dataDir, rootKey, async (barrier) => {
      const wrapped = await allEntries(barrier, `logical/${uuid}/`);
      assert.ok(wrapped.length > 0);
      for (const path of wrapped) {
        const value = (await barrier.get(path))!;
        assert.equal(isSealWrapped(value), true, path);
        assert.equal(value.includes(Buffer.from(SECRET)), false, path);
      }
      const plain = await allEntries(barrier, `logical/${plainUuid}/`);
      let plainFound = false;
      for (const path of plain) {
        const value = (await barrier.get(path))!;
        assert.equal(isSealWrapped(value), false, path);
        if (value.includes(Buffer.from(SECRET))) plainFound = true;
      }
      assert.equal(plainFound, true, 'the plain mount is not wrapped');
    });

    node = await startDurableServer(dataDir, { seals: [pkcs11(token, true)] });
    try {
      for (const key of recovery) assert.equal((await node.api.call('PUT', 'sys/unseal', { key, migrate: true })).status, 200);
      assert.equal((await node.api.call('GET', 'sys/seal-status')).json.sealed, false);
      assert.equal(await readSecret(node.api, root), SECRET);
    } finally {
      await node.close();
    }

    await withBarrierKeyAlone(dataDir, rootKey, async (barrier) => {
      const entries = await allEntries(barrier, `logical/${uuid}/`);
      let found = false;
      for (const path of entries) {
        const value = (await barrier.get(path))!;
        assert.equal(isSealWrapped(value), false, path);
        if (value.includes(Buffer.from(SECRET))) found = true;
      }
      assert.equal(found, true);
    });

    token.destroy(); // the HSM is gone: Shamir alone must still read the data
    node = await startDurableServer(dataDir, { seals: [] });
    try {
      for (const key of recovery) assert.equal((await node.api.call('PUT', 'sys/unseal', { key })).status, 200);
      assert.equal(await readSecret(node.api, root), SECRET);
    } finally {
      await node.close();
    }
    rootKey.fill(0);
    token.remove();
  });
});
