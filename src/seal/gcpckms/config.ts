/**
 * `seal "gcpckms"` parameters (Vault's names; SEALS.md §2.1). A stanza value wins; a missing
 * one falls back to the environment the composition root passes in: GOOGLE_PROJECT,
 * GOOGLE_REGION, VAULT_GCPCKMS_SEAL_KEY_RING, VAULT_GCPCKMS_SEAL_CRYPTO_KEY, and for
 * `credentials` (a service-account JSON file path) GOOGLE_CREDENTIALS then
 * GOOGLE_APPLICATION_CREDENTIALS; with none, the SDK's Application Default Credentials. The
 * go-kms-wrapping names (GCPCKMS_WRAPPER_PROJECT/_LOCATION/_KEY_RING/_CRYPTO_KEY) come last.
 *
 * `endpoint` is an Arca addition (Vault's gcpckms has none): a URL such as
 * http://127.0.0.1:8080 sends the SDK's REST transport (`fallback`) there, with `protocol`
 * taken from the URL — used for private endpoints and the test stand-in. Without it the SDK
 * talks gRPC to cloudkms.googleapis.com.
 */
import { InvalidRequest } from '../../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface GcpCkmsSealConfig {
  project: string;
  region: string;
  keyRing: string;
  cryptoKey: string;
  /** Path of a service-account JSON file; undefined = Application Default Credentials. */
  credentialsFile?: string;
  endpoint?: { protocol: 'http' | 'https'; host: string; port: number };
  /** projects/<p>/locations/<r>/keyRings/<k>/cryptoKeys/<c> */
  keyName: string;
}

export const KNOWN_PARAMETERS: readonly string[] = [
  'project', 'region', 'key_ring', 'crypto_key', 'credentials', 'endpoint', 'name', 'priority', 'disabled',
];

const ENV_FALLBACKS: Readonly<Record<string, readonly string[]>> = {
  project: ['GOOGLE_PROJECT', 'GCPCKMS_WRAPPER_PROJECT'],
  region: ['GOOGLE_REGION', 'GCPCKMS_WRAPPER_LOCATION'],
  key_ring: ['VAULT_GCPCKMS_SEAL_KEY_RING', 'GCPCKMS_WRAPPER_KEY_RING'],
  crypto_key: ['VAULT_GCPCKMS_SEAL_CRYPTO_KEY', 'GCPCKMS_WRAPPER_CRYPTO_KEY'],
  credentials: ['GOOGLE_CREDENTIALS', 'GOOGLE_APPLICATION_CREDENTIALS'],
};

const SEGMENT = /^[A-Za-z0-9_-]{1,63}$/;

export function parseGcpCkmsSealConfig(options: Readonly<Record<string, string>>, env: Env): GcpCkmsSealConfig {
  for (const name of Object.keys(options)) {
    if (!KNOWN_PARAMETERS.includes(name)) throw new InvalidRequest(`seal "gcpckms": unknown parameter "${name}"`);
  }
  const value = (name: string): string | undefined =>
    [options[name], ...(ENV_FALLBACKS[name] ?? []).map((v) => env[v])].find((v) => v !== undefined && v !== '');
  const required = (name: string): string => {
    const v = value(name);
    if (v === undefined) throw new InvalidRequest(`seal "gcpckms": missing ${name} (or ${ENV_FALLBACKS[name].join(' / ')})`);
    return v;
  };
  const project = required('project');
  const region = required('region');
  const keyRing = required('key_ring');
  const cryptoKey = required('crypto_key');
  if (![region, keyRing, cryptoKey].every((s) => SEGMENT.test(s)) || !/^[a-z0-9:.-]{1,100}$/.test(project)) {
    throw new InvalidRequest('seal "gcpckms": project, region, key_ring and crypto_key must be plain resource ids');
  }
  let endpoint: GcpCkmsSealConfig['endpoint'];
  const raw = options.endpoint;
  if (raw !== undefined && raw !== '') {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new InvalidRequest('seal "gcpckms": endpoint must be a URL such as https://cloudkms.googleapis.com');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidRequest('seal "gcpckms": endpoint must use http or https');
    const protocol = url.protocol === 'http:' ? 'http' : 'https';
    endpoint = { protocol, host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443 };
  }
  return {
    project, region, keyRing, cryptoKey,
    credentialsFile: value('credentials'),
    endpoint,
    keyName: `projects/${project}/locations/${region}/keyRings/${keyRing}/cryptoKeys/${cryptoKey}`,
  };
}
