/**
 * The PKI CA key is seal-wrapped: on a pkcs11 node, config/ca_bundle (and a pending
 * intermediate key) are HSM ciphertext inside the barrier encryption, while issued
 * certificates are not; after a restart (auto-unseal) the same CA keeps issuing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SealStanza } from '../src/config/types.js';
import { isSealWrapped } from '../src/barrier/seal-wrap.js';
import { startDurableServer, type Api } from './support/server.js';
import { createSoftHsmToken, requireSoftHsm, type SoftHsmToken } from './support/softhsm.js';
import { rootKeyThroughHsm, withBarrierKeyAlone } from './support/sealed-node-storage.js';

const skip = requireSoftHsm('pki seal wrapping');
const pkcs11 = (token: SoftHsmToken): SealStanza => ({ type: 'pkcs11', disabled: false, options: token.sealOptions() });

async function waitUnsealed(api: Api): Promise<void> {
  for (let i = 0; i < 400 && (await api.call('GET', 'sys/seal-status')).json.sealed; i++) await new Promise((r) => setTimeout(r, 25));
}

describe('pki CA keys under seal wrap', { skip }, () => {
  test('config/ca_bundle and config/pending_key are HSM-wrapped; certificates are not; the CA survives a restart', async () => {
    const token = createSoftHsmToken();
    const dataDir = mkdtempSync(join(tmpdir(), 'arca-pki-sealwrap-'));
    let root = '';
    let uuid = '';
    let rootPem = '';
    let node = await startDurableServer(dataDir, { seals: [pkcs11(token)] });
    try {
      const init = (await node.api.call('PUT', 'sys/init', { recovery_shares: 1, recovery_threshold: 1 })).json;
      root = init.root_token;
      node.api.token = root;
      await waitUnsealed(node.api);
      assert.equal((await node.api.call('POST', 'sys/mounts/pki', { type: 'pki' })).status, 204);
      assert.equal((await node.api.call('POST', 'sys/mounts/pki_int', { type: 'pki' })).status, 204);
      const gen = await node.api.call('POST', 'pki/root/generate/internal', { common_name: 'Wrapped Root', key_type: 'ec', ttl: '240h' });
      assert.equal(gen.status, 200, gen.text);
      rootPem = gen.json.data.certificate;
      assert.equal((await node.api.call('POST', 'pki_int/intermediate/generate/internal', { common_name: 'Pending', key_type: 'ec' })).status, 200);
      assert.equal((await node.api.call('POST', 'pki/roles/r', { allow_any_name: true, key_type: 'ec' })).status, 200);
      assert.equal((await node.api.call('POST', 'pki/issue/r', { common_name: 'one.example.com', ttl: '1h' })).status, 200);
      const mounts = (await node.api.call('GET', 'sys/mounts')).json.data;
      uuid = mounts['pki/'].uuid;
      const intUuid = mounts['pki_int/'].uuid;
      await node.close();

      await withBarrierKeyAlone(dataDir, await rootKeyThroughHsm(dataDir, token.sealOptions()), async (barrier) => {
        const bundle = (await barrier.get(`logical/${uuid}/config/ca_bundle`))!;
        assert.ok(bundle, 'the CA bundle is stored');
        assert.equal(isSealWrapped(bundle), true);
        assert.equal(bundle.includes(Buffer.from('pkcs8')), false);
        const pending = (await barrier.get(`logical/${intUuid}/config/pending_key`))!;
        assert.equal(isSealWrapped(pending), true);
        const certs = await barrier.list(`logical/${uuid}/certs/`);
        assert.ok(certs.length >= 2);
        for (const serial of certs) assert.equal(isSealWrapped((await barrier.get(`logical/${uuid}/certs/${serial}`))!), false);
      });

      node = await startDurableServer(dataDir, { seals: [pkcs11(token)] });
      node.api.token = root;
      await waitUnsealed(node.api);
      const again = await node.api.call('POST', 'pki/issue/r', { common_name: 'two.example.com', ttl: '1h' });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.data.issuing_ca.trim(), rootPem.trim());
    } finally {
      await node.close();
      token.remove();
    }
  });
});
