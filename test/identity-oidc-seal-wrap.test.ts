/**
 * Identity-token signing keys are seal-wrapped: on a pkcs11 node, the identity mount's
 * oidc_tokens/named_keys/<name> entries are HSM ciphertext inside the barrier encryption while
 * roles and config are not; after a restart (auto-unseal) the same key still verifies a token
 * issued before it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SealStanza } from '../src/config/types.js';
import { isSealWrapped } from '../src/barrier/seal-wrap.js';
import { startDurableServer, apiClient, type Api } from './support/server.js';
import { createSoftHsmToken, requireSoftHsm, type SoftHsmToken } from './support/softhsm.js';
import { rootKeyThroughHsm, withBarrierKeyAlone } from './support/sealed-node-storage.js';

const skip = requireSoftHsm('identity token seal wrapping');
const pkcs11 = (token: SoftHsmToken): SealStanza => ({ type: 'pkcs11', disabled: false, options: token.sealOptions() });

async function waitUnsealed(api: Api): Promise<void> {
  for (let i = 0; i < 400 && (await api.call('GET', 'sys/seal-status')).json.sealed; i++) await new Promise((r) => setTimeout(r, 25));
}

describe('identity token keys under seal wrap', { skip }, () => {
  test('named keys are HSM-wrapped, roles and config are not; tokens verify across a restart', async () => {
    const token = createSoftHsmToken();
    const dataDir = mkdtempSync(join(tmpdir(), 'arca-oidc-sealwrap-'));
    let node = await startDurableServer(dataDir, { seals: [pkcs11(token)] });
    try {
      const init = (await node.api.call('PUT', 'sys/init', { recovery_shares: 1, recovery_threshold: 1 })).json;
      const root: string = init.root_token;
      node.api.token = root;
      await waitUnsealed(node.api);
      assert.equal((await node.api.call('POST', 'sys/auth/userpass', { type: 'userpass' })).status, 204);
      assert.equal((await node.api.call('PUT', 'sys/policies/acl/ids', { policy: 'path "identity/oidc/*" { capabilities = ["read", "update"] }' })).status, 204);
      assert.equal((await node.api.call('POST', 'auth/userpass/users/svc', { password: 'pw', policies: 'ids' })).status, 204);
      assert.equal((await node.api.call('POST', 'identity/oidc/config', { issuer: 'https://arca.example:8200' })).status, 200);
      assert.equal((await node.api.call('POST', 'identity/oidc/key/wrapped', { algorithm: 'ES256', allowed_client_ids: '*' })).status, 204);
      assert.equal((await node.api.call('POST', 'identity/oidc/role/svc', { key: 'wrapped' })).status, 204);
      const login = async (api: Api) => (await api.call('POST', 'auth/userpass/login/svc', { password: 'pw' })).json.auth.client_token as string;
      const svc = apiClient(node.api.url, await login(apiClient(node.api.url)));
      const issued = await svc.call('GET', 'identity/oidc/token/svc');
      assert.equal(issued.status, 200, issued.text);
      const idToken: string = issued.json.data.token;
      const uuid: string = (await node.api.call('GET', 'sys/mounts')).json.data['identity/'].uuid;
      await node.close();

      await withBarrierKeyAlone(dataDir, await rootKeyThroughHsm(dataDir, token.sealOptions()), async (barrier) => {
        const key = (await barrier.get(`logical/${uuid}/oidc_tokens/named_keys/wrapped`))!;
        assert.ok(key, 'the named key is stored in the identity mount');
        assert.equal(isSealWrapped(key), true);
        assert.equal(key.includes(Buffer.from('privateJwk')), false);
        assert.equal(isSealWrapped((await barrier.get(`logical/${uuid}/oidc_tokens/roles/svc`))!), false);
        assert.equal(isSealWrapped((await barrier.get(`logical/${uuid}/oidc_tokens/config/`))!), false);
      });

      node = await startDurableServer(dataDir, { seals: [pkcs11(token)] });
      node.api.token = root;
      await waitUnsealed(node.api);
      const after = apiClient(node.api.url, await login(apiClient(node.api.url)));
      const check = await after.call('POST', 'identity/oidc/introspect', { token: idToken });
      assert.deepEqual(check.json, { active: true });
      assert.equal((await after.call('GET', 'identity/oidc/token/svc')).status, 200, 'the unwrapped key still signs');
    } finally {
      await node.close();
      token.remove();
    }
  });
});
