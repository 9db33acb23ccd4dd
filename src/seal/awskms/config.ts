/**
 * `seal "awskms"` parameters (Vault's names; SEALS.md §2.1). A stanza value wins; a missing one
 * falls back to the environment the composition root passes in: VAULT_AWSKMS_SEAL_KEY_ID /
 * AWSKMS_WRAPPER_KEY_ID, AWS_REGION / AWS_DEFAULT_REGION (default us-east-1), AWSKMS_ENDPOINT /
 * AWS_KMS_ENDPOINT (deprecated), AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.
 * Without static credentials the SDK's default chain (profiles, SSO, web identity, IMDS) is used.
 */
import { InvalidRequest } from '../../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface AwsKmsSealConfig {
  region: string;
  kmsKeyId: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export const KNOWN_PARAMETERS: readonly string[] = [
  'region', 'kms_key_id', 'endpoint', 'access_key', 'secret_key', 'session_token',
  'name', 'priority', 'disabled',
];

const ENV_FALLBACKS: Readonly<Record<string, readonly string[]>> = {
  region: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
  kms_key_id: ['VAULT_AWSKMS_SEAL_KEY_ID', 'AWSKMS_WRAPPER_KEY_ID'],
  endpoint: ['AWSKMS_ENDPOINT', 'AWS_KMS_ENDPOINT'],
  access_key: ['AWS_ACCESS_KEY_ID'],
  secret_key: ['AWS_SECRET_ACCESS_KEY'],
  session_token: ['AWS_SESSION_TOKEN'],
};

export function parseAwsKmsSealConfig(options: Readonly<Record<string, string>>, env: Env): AwsKmsSealConfig {
  for (const name of Object.keys(options)) {
    if (!KNOWN_PARAMETERS.includes(name)) throw new InvalidRequest(`seal "awskms": unknown parameter "${name}"`);
  }
  const value = (name: string): string | undefined =>
    [options[name], ...(ENV_FALLBACKS[name] ?? []).map((v) => env[v])].find((v) => v !== undefined && v !== '');
  const kmsKeyId = value('kms_key_id');
  if (!kmsKeyId) throw new InvalidRequest('seal "awskms": missing kms_key_id (or VAULT_AWSKMS_SEAL_KEY_ID)');
  const endpoint = value('endpoint');
  if (endpoint !== undefined) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new InvalidRequest('seal "awskms": endpoint must be a URL such as https://kms.us-east-1.amazonaws.com');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidRequest('seal "awskms": endpoint must use http or https');
  }
  const accessKeyId = value('access_key');
  const secretAccessKey = value('secret_key');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new InvalidRequest('seal "awskms": access_key and secret_key must be given together');
  }
  return {
    region: value('region') ?? 'us-east-1',
    kmsKeyId,
    endpoint,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken: value('session_token') } : undefined,
  };
}
