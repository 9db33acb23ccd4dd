/** Where the client connects and with which token: flags, then ARCA_*, then VAULT_*, then the token file. */
import type { ClientConfig } from './client.js';
import { readStoredToken } from './token-helper.js';

export const DEFAULT_ADDRESS = 'http://127.0.0.1:8200';

export type Env = Record<string, string | undefined>;

export interface ConnectionFlags {
  address: string;
  'ca-cert': string;
  'tls-skip-verify': boolean;
}

function envValue(env: Env, name: string): string | undefined {
  const value = env[`ARCA_${name}`] || env[`VAULT_${name}`];
  return value ? value : undefined;
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|t|true)$/i.test(value.trim());
}

export function clientSettings(flags: ConnectionFlags, env: Env, homeDir: string): ClientConfig {
  const settings: ClientConfig = {
    address: flags.address || envValue(env, 'ADDR') || DEFAULT_ADDRESS,
    skipVerify: flags['tls-skip-verify'] || truthy(envValue(env, 'SKIP_VERIFY')),
  };
  const token = envValue(env, 'TOKEN') ?? readStoredToken(homeDir);
  if (token) settings.token = token;
  const ca = flags['ca-cert'] || envValue(env, 'CACERT');
  if (ca) settings.caCertFile = ca;
  return settings;
}
