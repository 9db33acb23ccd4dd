/**
 * `seal "azurekeyvault"`: an Azure Key Vault RSA key wraps the envelope data key
 * (../awskms/envelope.ts) with RSA-OAEP-256. Wrapping goes to the key's latest version; the
 * blob's key id is the version parsed from the returned KID, and unwrapping goes to exactly
 * that version, so a rotated key still opens old blobs (and core re-wraps on the id change).
 * Calls: GET key (init), wrapkey, unwrapkey — through KeyClient / CryptographyClient with the
 * Key Vault challenge-based auth and ClientSecretCredential (or managed identity). The
 * pipeline's own retries are off; the envelope retries throttling and network faults.
 */
import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { CryptographyClient, KeyClient } from '@azure/keyvault-keys';
import { createEnvelopeSeal, networkCode, type KmsFailure, type RetryPolicy } from '../envelope.js';
import type { AzureKeyVaultSealConfig } from './config.js';

const WRAP_ALGORITHM = 'RSA-OAEP-256';

function bodyError(err: any): { code?: string; inner?: string; message?: string } {
  const e = err?.details?.error ?? (typeof err?.details === 'object' ? err.details : undefined);
  return { code: e?.code ?? err?.code, inner: e?.innererror?.code, message: e?.message ?? err?.message };
}

export function classifyAzureError(err: unknown): KmsFailure {
  const net = networkCode(err);
  if (net) return { kind: 'network', code: net };
  const e = err as any;
  if (e?.name === 'AuthenticationError' || e?.name === 'CredentialUnavailableError' || e?.name === 'AuthenticationRequiredError') {
    const text = `${e?.message ?? ''}`;
    const code = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN)\b/.exec(text)?.[1];
    if (code) return { kind: 'network', code };
    const status = e?.statusCode;
    if (status === 429) return { kind: 'throttled', code: 'AuthenticationError 429' };
    // MSAL's message starts with the OAuth error code ("invalid_client: ...").
    return { kind: 'denied', code: String(e?.errorResponse?.error ?? /^([a-z_]+):/.exec(text)?.[1] ?? e?.name) };
  }
  const status = e?.statusCode;
  const { code, inner, message } = bodyError(e);
  if (status === 429) return { kind: 'throttled', code: code ?? 'Throttled' };
  if (status === 403 && (inner === 'KeyDisabled' || /disabled/i.test(String(message)))) return { kind: 'disabled', code: 'KeyDisabled' };
  if (e?.name === 'KeyDisabled') return { kind: 'disabled', code: 'KeyDisabled' };
  if (status === 401 || status === 403) return { kind: 'denied', code: code ?? `HTTP ${status}` };
  if (status === 404) return { kind: 'not_found', code: code ?? 'KeyNotFound' };
  if (status === 400) return { kind: 'invalid_ciphertext', code: code ?? 'BadParameter' };
  if (typeof status === 'number' && status >= 500) return { kind: 'network', code: code ?? `HTTP ${status}` };
  return { kind: 'other', code: String(code ?? e?.name ?? 'unknown error') };
}

export interface AzureKeyVaultSealOptions {
  retry?: RetryPolicy;
}

export function createAzureKeyVaultSeal(config: AzureKeyVaultSealConfig, options: AzureKeyVaultSealOptions = {}) {
  const pipeline = {
    retryOptions: { maxRetries: 0 },
    ...(config.caCert ? { tlsOptions: { ca: config.caCert } } : {}),
  };
  const credential: TokenCredential = config.clientSecret
    ? new ClientSecretCredential(config.tenantId!, config.clientId!, config.clientSecret, {
      ...pipeline,
      authorityHost: config.authorityHost,
      ...(config.customAuthority ? { disableInstanceDiscovery: true } : {}),
    })
    : new ManagedIdentityCredential({ ...(config.clientId ? { clientId: config.clientId } : {}), ...pipeline });
  const clientOptions = { ...pipeline, ...(config.customVaultUrl ? { disableChallengeResourceVerification: true } : {}) };
  const keys = new KeyClient(config.vaultUrl, credential, clientOptions);
  const keyUrl = `${config.vaultUrl}/keys/${encodeURIComponent(config.keyName)}`;
  const byVersion = new Map<string, CryptographyClient>();

  return createEnvelopeSeal({
    type: 'azurekeyvault',
    service: 'Azure Key Vault',
    classify: classifyAzureError,
    retry: options.retry,
    backend: {
      async check() {
        const key = await keys.getKey(config.keyName);
        if (key.properties.enabled === false) throw Object.assign(new Error('key disabled'), { name: 'KeyDisabled' });
      },
      async wrap(dataKey) {
        // A fresh client per wrap: a CryptographyClient pins the version it first fetched, and a
        // wrap must use the latest version (wraps are rare: init, rekey, seal-wrapped writes).
        const latest = new CryptographyClient(keyUrl, credential, clientOptions);
        const out = await latest.wrapKey(WRAP_ALGORITHM, dataKey);
        const version = (out.keyID ?? '').split('/').pop() ?? '';
        return { keyId: version, wrappedKey: Buffer.from(out.result) };
      },
      async unwrap(version, wrappedKey) {
        if (!/^[A-Za-z0-9]{1,64}$/.test(version)) throw Object.assign(new Error('bad key version'), { statusCode: 400 });
        let client = byVersion.get(version);
        if (!client) {
          client = new CryptographyClient(`${keyUrl}/${version}`, credential, clientOptions);
          byVersion.set(version, client);
        }
        const out = await client.unwrapKey(WRAP_ALGORITHM, wrappedKey);
        return Buffer.from(out.result);
      },
    },
  });
}

export type AzureKeyVaultSeal = ReturnType<typeof createAzureKeyVaultSeal>;
