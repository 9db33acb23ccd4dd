/**
 * The KMS providers: one table entry per `provider` value holding its rules (credentials,
 * key_collection, key types with their purposes, protections, key names); the client module
 * and its cloud SDK load only when a provider of that kind is first used.
 */
import { InvalidRequest } from '../../../errors.js';
import { AZURE_ENVIRONMENTS } from '../../../seal/azurekeyvault/config.js';
import type { Purpose } from '../key-types.js';
import type { KmsClient, ProviderSpec } from './types.js';

function urlCheck(value: string | undefined, name: string, protocols: readonly string[]): void {
  if (value === undefined) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidRequest(`credentials: ${name} must be a URL`);
  }
  if (!protocols.includes(url.protocol)) throw new InvalidRequest(`credentials: ${name} must use ${protocols.map((p) => p.slice(0, -1)).join(' or ')}`);
}

const awskms: ProviderSpec = {
  name: 'awskms',
  service: 'AWS KMS',
  credentialKeys: ['access_key', 'secret_key', 'session_token', 'endpoint'],
  validate(keyCollection, c) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(keyCollection)) throw new InvalidRequest('key_collection must be an AWS region such as us-east-1');
    if ((c.access_key === undefined) !== (c.secret_key === undefined)) throw new InvalidRequest('credentials: access_key and secret_key must be given together');
    urlCheck(c.endpoint, 'endpoint', ['http:', 'https:']);
  },
  keyTypes: { 'aes256-gcm96': ['encrypt', 'decrypt'] },
  protections: ['hsm'],
  namePattern: /^[A-Za-z0-9:/_-]{1,240}$/,
  load: async () => (await import('./awskms.js')).createAwsKmsClient,
};

const azurekeyvault: ProviderSpec = {
  name: 'azurekeyvault',
  service: 'Azure Key Vault',
  credentialKeys: ['tenant_id', 'client_id', 'client_secret', 'environment', 'vault_url', 'authority_host', 'tls_ca_cert'],
  validate(keyCollection, c) {
    if (!/^[A-Za-z0-9-]{3,24}$/.test(keyCollection)) throw new InvalidRequest('key_collection must be a Key Vault name: 3-24 letters, digits or dashes');
    if (c.client_secret !== undefined && (c.tenant_id === undefined || c.client_id === undefined)) {
      throw new InvalidRequest('credentials: client_secret needs tenant_id and client_id');
    }
    if (c.environment !== undefined && !AZURE_ENVIRONMENTS[c.environment.toUpperCase()]) {
      throw new InvalidRequest(`credentials: environment must be one of ${Object.keys(AZURE_ENVIRONMENTS).join(', ')}`);
    }
    urlCheck(c.vault_url, 'vault_url', ['https:']);
    urlCheck(c.authority_host, 'authority_host', ['https:']);
    if (c.tls_ca_cert !== undefined && !c.tls_ca_cert.includes('-----BEGIN CERTIFICATE-----')) throw new InvalidRequest('credentials: tls_ca_cert must be PEM certificate text');
  },
  keyTypes: {
    'rsa-2048': ['encrypt', 'decrypt', 'sign', 'verify', 'wrap', 'unwrap'],
    'rsa-3072': ['encrypt', 'decrypt', 'sign', 'verify', 'wrap', 'unwrap'],
    'rsa-4096': ['encrypt', 'decrypt', 'sign', 'verify', 'wrap', 'unwrap'],
  },
  protections: ['hsm', 'software'],
  namePattern: /^[A-Za-z0-9-]{1,127}$/,
  load: async () => (await import('./azurekeyvault.js')).createAzureKeyVaultClient,
};

const RSA_GCP: readonly Purpose[] = ['encrypt', 'decrypt', 'sign', 'verify'];

const gcpckms: ProviderSpec = {
  name: 'gcpckms',
  service: 'Cloud KMS',
  credentialKeys: ['service_account_file', 'endpoint'],
  validate(keyCollection, c) {
    if (!/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+$/.test(keyCollection)) {
      throw new InvalidRequest('key_collection must be a key ring resource name: projects/<project>/locations/<location>/keyRings/<key ring>');
    }
    urlCheck(c.endpoint, 'endpoint', ['http:', 'https:']);
  },
  keyTypes: {
    'aes256-gcm96': ['encrypt', 'decrypt'],
    'rsa-2048': RSA_GCP, 'rsa-3072': RSA_GCP, 'rsa-4096': RSA_GCP,
    'ecdsa-p256': ['sign', 'verify'], 'ecdsa-p384': ['sign', 'verify'],
  },
  checkPurpose(keyType, purpose) {
    if (keyType.startsWith('rsa-') && purpose.includes('sign') === purpose.includes('decrypt')) {
      throw new InvalidRequest('gcpckms: an RSA key is for "sign" (with "verify") or for "decrypt" (with "encrypt"), not both');
    }
  },
  protections: ['hsm', 'software'],
  namePattern: /^[A-Za-z0-9_-]{1,63}$/,
  load: async () => (await import('./gcpckms.js')).createGcpCkmsClient,
};

export const PROVIDERS: Readonly<Record<string, ProviderSpec>> = Object.freeze({ awskms, azurekeyvault, gcpckms });

export function providerSpec(name: string): ProviderSpec {
  const spec = Object.prototype.hasOwnProperty.call(PROVIDERS, name) ? PROVIDERS[name] : undefined;
  if (!spec) throw new InvalidRequest(`unsupported provider "${name}"; supported: ${Object.keys(PROVIDERS).join(', ')}`);
  return spec;
}

export async function openClient(spec: ProviderSpec, keyCollection: string, credentials: Readonly<Record<string, string>>): Promise<KmsClient> {
  const create = await spec.load();
  return create(keyCollection, credentials);
}
