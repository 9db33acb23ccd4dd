/**
 * `seal "transit"` parameters (Vault's names; SEALS.md §2.1). A stanza value wins; a missing
 * one falls back to ARCA_TRANSIT_SEAL_<NAME>, then VAULT_TRANSIT_SEAL_<NAME>, then Vault's
 * client variables (VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE, VAULT_CACERT, VAULT_CLIENT_CERT,
 * VAULT_CLIENT_KEY, VAULT_TLS_SERVER_NAME, VAULT_SKIP_VERIFY) from the environment the
 * composition root passes in. Nothing here reads process.env.
 */
import { readFileSync } from 'node:fs';
import { InvalidRequest } from '../../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface TransitSealConfig {
  /** Base URL of the remote server, e.g. https://vault-a:8200 (no trailing slash). */
  address: string;
  token: string;
  /** Mount path of the transit engine, without surrounding slashes. */
  mountPath: string;
  keyName: string;
  namespace?: string;
  disableRenewal: boolean;
  tls: {
    ca?: string;
    cert?: string;
    key?: string;
    serverName?: string;
    skipVerify: boolean;
  };
}

export type ReadText = (path: string) => string;
const readText: ReadText = (path) => readFileSync(path, 'utf8');

/** Per parameter: the Vault client variable used as the last fallback. */
const CLIENT_ENV: Readonly<Record<string, string>> = {
  address: 'VAULT_ADDR',
  token: 'VAULT_TOKEN',
  namespace: 'VAULT_NAMESPACE',
  tls_ca_cert: 'VAULT_CACERT',
  tls_client_cert: 'VAULT_CLIENT_CERT',
  tls_client_key: 'VAULT_CLIENT_KEY',
  tls_server_name: 'VAULT_TLS_SERVER_NAME',
  tls_skip_verify: 'VAULT_SKIP_VERIFY',
};

export const KNOWN_PARAMETERS: readonly string[] = [
  'address', 'token', 'mount_path', 'key_name', 'namespace', 'disable_renewal',
  'tls_ca_cert', 'tls_client_cert', 'tls_client_key', 'tls_server_name', 'tls_skip_verify',
  'name', 'priority', 'disabled',
];

function bool(value: string, name: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', '1', 't', 'yes'].includes(v)) return true;
  if (['false', '0', 'f', 'no', ''].includes(v)) return false;
  throw new InvalidRequest(`seal "transit": ${name} must be "true" or "false"`);
}

export function parseTransitSealConfig(options: Readonly<Record<string, string>>, env: Env, read: ReadText = readText): TransitSealConfig {
  for (const name of Object.keys(options)) {
    if (!KNOWN_PARAMETERS.includes(name)) throw new InvalidRequest(`seal "transit": unknown parameter "${name}"`);
  }
  const value = (name: string): string | undefined => {
    const candidates = [
      options[name],
      env[`ARCA_TRANSIT_SEAL_${name.toUpperCase()}`],
      env[`VAULT_TRANSIT_SEAL_${name.toUpperCase()}`],
      CLIENT_ENV[name] ? env[CLIENT_ENV[name]] : undefined,
    ];
    return candidates.find((v) => v !== undefined && v !== '');
  };
  const required = (name: string): string => {
    const v = value(name);
    if (v === undefined) throw new InvalidRequest(`seal "transit": missing ${name}`);
    return v;
  };
  const address = required('address').replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new InvalidRequest('seal "transit": address must be a URL such as https://host:8200');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidRequest('seal "transit": address must use http or https');
  const file = (name: string): string | undefined => {
    const path = value(name);
    if (path === undefined) return undefined;
    try {
      return read(path);
    } catch {
      throw new InvalidRequest(`seal "transit": cannot read ${name} file`);
    }
  };
  const mountPath = required('mount_path').replace(/^\/+|\/+$/g, '');
  const keyName = required('key_name');
  if (mountPath === '' || keyName.includes('/')) throw new InvalidRequest('seal "transit": invalid mount_path or key_name');
  return {
    address,
    token: required('token'),
    mountPath,
    keyName,
    namespace: value('namespace'),
    disableRenewal: bool(value('disable_renewal') ?? 'false', 'disable_renewal'),
    tls: {
      ca: file('tls_ca_cert'),
      cert: file('tls_client_cert'),
      key: file('tls_client_key'),
      serverName: value('tls_server_name'),
      skipVerify: bool(value('tls_skip_verify') ?? 'false', 'tls_skip_verify'),
    },
  };
}
