/**
 * `seal "azurekeyvault"` through the official @azure/keyvault-keys + @azure/identity SDKs
 * against the HTTPS stand-in: the seal's `vault_url` and `authority_host` point KeyClient /
 * CryptographyClient and ClientSecretCredential at it, `tls_ca_cert` passes the generated CA
 * through the SDK's `tlsOptions`, and the real challenge flow runs (401 + WWW-Authenticate →
 * OpenID configuration → client-credentials token → retried call). Config parsing, blob
 * handling, one-line errors and the shared auto-unseal scenarios; an opt-in live test runs
 * only with real Azure credentials in the environment.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IntegrityError, InvalidRequest, UpstreamError } from '../src/errors.js';
import { parseAzureKeyVaultSealConfig } from '../src/seal/azurekeyvault/config.js';
import { createAzureKeyVaultSeal } from '../src/seal/azurekeyvault/seal.js';
import { decodeWrapperBlob, encodeWrapperBlob, WRAPPER_MECHANISMS } from '../src/seal/wrapper-blob.js';
import { startAzureKeyVaultStandin, type AzureKeyVaultStandin } from './standins/azure-keyvault-standin.js';
import { exerciseKmsSealScenarios, liveSealRoundTrip } from './standins/kms-seal-scenarios.js';

let kv: AzureKeyVaultStandin;

before(async () => {
  kv = await startAzureKeyVaultStandin();
});
after(async () => {
  await kv.close();
});

function options(keyName: string, extra: Record<string, string> = {}): Record<string, string> {
  return { tenant_id: kv.tenantId, client_id: kv.clientId, client_secret: kv.clientSecret, key_name: keyName, vault_url: kv.url, authority_host: kv.url, tls_ca_cert: kv.caCertFile, ...extra };
}
const FAST = { attempts: 3, baseDelayMs: 5 };

describe('azurekeyvault config', () => {
  test('Vault names and environment variables; the vault URL comes from vault_name and resource', () => {
    const env = { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's', VAULT_AZUREKEYVAULT_VAULT_NAME: 'arca-kv', VAULT_AZUREKEYVAULT_KEY_NAME: 'seal-key' };
    const c = parseAzureKeyVaultSealConfig({}, env);
    assert.equal(c.vaultUrl, 'https://arca-kv.vault.azure.net');
    assert.equal(c.authorityHost, 'https://login.microsoftonline.com');
    assert.deepEqual([c.tenantId, c.clientId, c.clientSecret, c.keyName, c.customVaultUrl], ['t', 'c', 's', 'seal-key', false]);
    assert.equal(parseAzureKeyVaultSealConfig({ environment: 'AzureChinaCloud' }, env).vaultUrl, 'https://arca-kv.vault.azure.cn');
    assert.equal(parseAzureKeyVaultSealConfig({}, { ...env, AZURE_AD_RESOURCE: 'managedhsm.azure.net' }).vaultUrl, 'https://arca-kv.managedhsm.azure.net');
    const msi = parseAzureKeyVaultSealConfig({ vault_name: 'kv1', key_name: 'k' }, {});
    assert.equal(msi.clientSecret, undefined);
    const w = parseAzureKeyVaultSealConfig({}, { AZUREKEYVAULT_WRAPPER_VAULT_NAME: 'wkv', AZUREKEYVAULT_WRAPPER_KEY_NAME: 'wk' });
    assert.deepEqual([w.vaultUrl, w.keyName], ['https://wkv.vault.azure.net', 'wk']);
  });

  test('missing names, bad environments, plain-http overrides and unknown parameters are refused', () => {
    assert.throws(() => parseAzureKeyVaultSealConfig({ vault_name: 'kv1' }, {}), (e: unknown) => e instanceof InvalidRequest && /missing key_name/.test(e.message));
    assert.throws(() => parseAzureKeyVaultSealConfig({ key_name: 'k' }, {}), /missing vault_name/);
    assert.throws(() => parseAzureKeyVaultSealConfig({ key_name: 'k', vault_name: 'kv1', environment: 'mars' }, {}), /unknown environment/);
    assert.throws(() => parseAzureKeyVaultSealConfig({ key_name: 'k', vault_url: 'http://127.0.0.1:1' }, {}), /https URL/);
    assert.throws(() => parseAzureKeyVaultSealConfig({ key_name: 'k', vault_name: 'kv1', client_secret: 's' }, {}), /needs tenant_id and client_id/);
    assert.throws(() => parseAzureKeyVaultSealConfig({ key_name: 'k', vault_name: 'kv1', bogus: '1' }, {}), /unknown parameter "bogus"/);
  });
});

describe('azurekeyvault seal against the stand-in', () => {
  test('envelope blob records the key version; RSA-OAEP-256 wrapped data key; rotation keeps old blobs readable', async () => {
    const key = kv.createKey();
    const seal = createAzureKeyVaultSeal(parseAzureKeyVaultSealConfig(options(key.name), {}), { retry: FAST });
    await seal.init();
    assert.ok(kv.calls.some((c) => c.endsWith('/oauth2/v2.0/token')), 'token obtained through the challenge flow');
    const aad = Buffer.from('core/keyring');
    const old = await seal.wrapper().encrypt(Buffer.from('root key'), aad);
    const parsed = decodeWrapperBlob(old);
    assert.equal(parsed.keyId, key.versions[0].id);
    assert.equal(parsed.mechanism, WRAPPER_MECHANISMS.aes256Gcm);
    assert.equal(parsed.wrappedKey.length, 256);
    kv.rotate(key);
    const fresh = await seal.wrapper().encrypt(Buffer.from('root key'), aad);
    assert.equal(decodeWrapperBlob(fresh).keyId, key.versions[1].id);
    for (const blob of [old, fresh]) assert.deepEqual(Buffer.from(await seal.wrapper().decrypt(blob, aad)), Buffer.from('root key'));
    await assert.rejects(seal.wrapper().decrypt(old, Buffer.from('x')), IntegrityError);
    const badWrap = encodeWrapperBlob({ ...parsed, wrappedKey: Buffer.alloc(256, 7) });
    await assert.rejects(seal.wrapper().decrypt(badWrap, aad), IntegrityError);
    await seal.close();
  });

  test('a wrong client secret is denied at once; a missing key is not found', async () => {
    const key = kv.createKey();
    const wrong = createAzureKeyVaultSeal(parseAzureKeyVaultSealConfig(options(key.name, { client_secret: 'wrong' }), {}), { retry: FAST });
    await assert.rejects(wrong.init(), (e: unknown) => e instanceof UpstreamError && e.message === 'azurekeyvault seal: access to the Azure Key Vault key was denied (invalid_client)');
    const missing = createAzureKeyVaultSeal(parseAzureKeyVaultSealConfig(options('nope'), {}), { retry: FAST });
    await assert.rejects(missing.init(), { message: 'azurekeyvault seal: the Azure Key Vault key was not found (KeyNotFound)' });
    await wrong.close();
    await missing.close();
  });
});

exerciseKmsSealScenarios({
  type: 'azurekeyvault',
  newKey: () => options(kv.createKey().name),
  rotate: (o) => kv.rotate(kv.key(o.key_name)),
  setEnabled: (o, enabled) => kv.setEnabled(kv.key(o.key_name), enabled),
  failNext: (kind, count) => kv.failNext(kind, count),
  clearFailures: () => kv.clearFailures(),
  stop: () => kv.stop(),
  start: () => kv.start(),
  messages: {
    throttled: /^azurekeyvault seal: Azure Key Vault is throttling requests \(Throttled\); gave up after 3 attempts$/,
    denied: /^azurekeyvault seal: access to the Azure Key Vault key was denied \(Forbidden\)$/,
    disabled: /^azurekeyvault seal: the Azure Key Vault key is disabled \(KeyDisabled\)$/,
    network: /^azurekeyvault seal: cannot reach Azure Key Vault \(ECONNREFUSED\); gave up after 3 attempts$/,
  },
});

const live = process.env.VAULT_AZUREKEYVAULT_VAULT_NAME && process.env.VAULT_AZUREKEYVAULT_KEY_NAME &&
  process.env.AZURE_TENANT_ID && process.env.AZURE_CLIENT_ID && process.env.AZURE_CLIENT_SECRET;
const liveSkip = live ? false
  : 'azurekeyvault live test: skipped (opt-in, also under CI): set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, VAULT_AZUREKEYVAULT_VAULT_NAME and VAULT_AZUREKEYVAULT_KEY_NAME to run it against real Azure Key Vault';
liveSealRoundTrip('azurekeyvault live: real Azure Key Vault wraps and unwraps through the seal', liveSkip, () => createAzureKeyVaultSeal(parseAzureKeyVaultSealConfig({}, process.env)));
