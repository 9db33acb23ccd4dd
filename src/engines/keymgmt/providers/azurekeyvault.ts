/**
 * `azurekeyvault`: Azure Key Vault bring-your-own-key through the import key operation
 * (PUT /keys/<name> with a JSON Web Key; `hsm` set for protection "hsm", so the key becomes
 * RSA-HSM). Each Arca version is imported under the same name and becomes the key's newest
 * Azure version; key_ops follow `purpose`. Versions below min_enabled_version are disabled with
 * an update of that version's attributes; removal deletes the key (soft delete, as the vault's
 * recovery settings say). The key material travels inside the TLS channel only.
 *
 * Credentials: Vault's tenant_id, client_id, client_secret, environment; without a client secret
 * the SDK's default chain (environment, workload or managed identity) is used. Arca additions
 * for private endpoints and the test stand-in: vault_url (replaces
 * https://<key_collection>.<environment's Key Vault suffix>), authority_host, tls_ca_cert (PEM).
 */
import { ClientSecretCredential, DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { KeyClient, type JsonWebKey, type KeyOperation } from '@azure/keyvault-keys';
import { AZURE_ENVIRONMENTS } from '../../../seal/azurekeyvault/config.js';
import { InvalidRequest } from '../../../errors.js';
import type { Purpose } from '../key-types.js';
import { call } from './errors.js';
import type { KmsClient } from './types.js';

const SERVICE = 'Azure Key Vault';

const KEY_OPS: Readonly<Record<Purpose, KeyOperation>> = {
  encrypt: 'encrypt', decrypt: 'decrypt', sign: 'sign', verify: 'verify', wrap: 'wrapKey', unwrap: 'unwrapKey',
};

const bytes = (b64url: string | undefined): Uint8Array | undefined => (b64url === undefined ? undefined : Buffer.from(b64url, 'base64url'));

export function createAzureKeyVaultClient(vaultName: string, c: Readonly<Record<string, string>>): KmsClient {
  const environment = AZURE_ENVIRONMENTS[(c.environment ?? 'AZUREPUBLICCLOUD').toUpperCase()];
  const pipeline = { retryOptions: { maxRetries: 2 }, ...(c.tls_ca_cert ? { tlsOptions: { ca: c.tls_ca_cert } } : {}) };
  const authorityHost = c.authority_host ? new URL(c.authority_host).origin : environment.authority;
  const credential: TokenCredential = c.client_secret
    ? new ClientSecretCredential(c.tenant_id, c.client_id, c.client_secret, {
      ...pipeline, authorityHost, ...(c.authority_host ? { disableInstanceDiscovery: true } : {}),
    })
    : new DefaultAzureCredential({ ...pipeline, ...(c.tenant_id ? { tenantId: c.tenant_id } : {}) });
  const vaultUrl = c.vault_url ? new URL(c.vault_url).origin : `https://${vaultName}.${environment.keyVaultSuffix}`;
  const keys = new KeyClient(vaultUrl, credential, { ...pipeline, ...(c.vault_url ? { disableChallengeResourceVerification: true } : {}) });

  return {
    async importVersion(ref, _version, material) {
      if (material.kind !== 'rsa') throw new InvalidRequest('azurekeyvault accepts only RSA keys');
      const jwk = material.privateKey.export({ format: 'jwk' });
      const key: JsonWebKey = {
        kty: ref.protection === 'hsm' ? 'RSA-HSM' : 'RSA',
        keyOps: ref.purpose.map((p) => KEY_OPS[p]),
        n: bytes(jwk.n), e: bytes(jwk.e), d: bytes(jwk.d), p: bytes(jwk.p), q: bytes(jwk.q),
        dp: bytes(jwk.dp), dq: bytes(jwk.dq), qi: bytes(jwk.qi),
      };
      const imported = await call(SERVICE, 'ImportKey', () => keys.importKey(ref.name, key, { hardwareProtected: ref.protection === 'hsm', enabled: true }));
      const version = imported.properties.version;
      if (!version) throw new InvalidRequest('keymgmt: Azure Key Vault did not report the imported key version');
      return version;
    },

    async setVersionEnabled(ref, version, enabled) {
      await call(SERVICE, 'UpdateKey', () => keys.updateKeyProperties(ref.name, version, { enabled }));
    },

    async remove(ref) {
      await call(SERVICE, 'DeleteKey', () => keys.beginDeleteKey(ref.name));
    },

    close() {},
  };
}
