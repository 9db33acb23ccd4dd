/**
 * Where identity-token state lives in the identity mount's storage (Vault's layout):
 * `oidc_tokens/config/`, `oidc_tokens/named_keys/<name>` (private keys: seal-wrapped, see
 * OIDC_SEAL_WRAP_STORAGE) and `oidc_tokens/roles/<name>`. Storage comes with each request (the
 * mount's view); changes run one at a time under one lock, as Vault's oidcLock does.
 */
import type { BarrierStorage } from '../../../barrier/types.js';
import type { NamedKey } from './named-key.js';

export const OIDC_PREFIX = 'oidc_tokens/';
export const CONFIG_KEY = `${OIDC_PREFIX}config/`;
export const NAMED_KEY_PREFIX = `${OIDC_PREFIX}named_keys/`;
export const ROLE_PREFIX = `${OIDC_PREFIX}roles/`;
/** Relative to the identity mount's storage; trailing `*` = prefix. */
export const OIDC_SEAL_WRAP_STORAGE = [`${NAMED_KEY_PREFIX}*`];

export const ROLE_VERSION = 1;

export interface OidcConfig {
  issuer: string;
}

export interface OidcRole {
  v: number;
  key: string;
  template: string;
  clientId: string;
  /** Seconds. */
  ttl: number;
}

type Storage = Pick<BarrierStorage, 'get' | 'put' | 'delete' | 'list'>;

async function readJson<T>(storage: Storage, key: string): Promise<T | undefined> {
  const raw = await storage.get(key);
  return raw ? (JSON.parse(raw.toString('utf8')) as T) : undefined;
}

async function writeJson(storage: Storage, key: string, value: unknown): Promise<void> {
  await storage.put(key, Buffer.from(JSON.stringify(value), 'utf8'));
}

export function createOidcStore() {
  let tail: Promise<unknown> = Promise.resolve();

  return {
    /** Runs `work` after every earlier locked change has finished. */
    locked<T>(work: () => Promise<T>): Promise<T> {
      const current = tail.catch(() => {}).then(work);
      tail = current.catch(() => {});
      return current;
    },

    async config(storage: Storage): Promise<OidcConfig> {
      return (await readJson<OidcConfig>(storage, CONFIG_KEY)) ?? { issuer: '' };
    },
    putConfig: (storage: Storage, config: OidcConfig) => writeJson(storage, CONFIG_KEY, config),

    key: (storage: Storage, name: string) => readJson<NamedKey>(storage, NAMED_KEY_PREFIX + name),
    putKey: (storage: Storage, name: string, key: NamedKey) => writeJson(storage, NAMED_KEY_PREFIX + name, key),
    deleteKey: (storage: Storage, name: string) => storage.delete(NAMED_KEY_PREFIX + name),
    listKeys: (storage: Storage) => storage.list(NAMED_KEY_PREFIX),

    role: (storage: Storage, name: string) => readJson<OidcRole>(storage, ROLE_PREFIX + name),
    putRole: (storage: Storage, name: string, role: OidcRole) => writeJson(storage, ROLE_PREFIX + name, role),
    deleteRole: (storage: Storage, name: string) => storage.delete(ROLE_PREFIX + name),
    listRoles: (storage: Storage) => storage.list(ROLE_PREFIX),

    /** Every role with its name. */
    async roles(storage: Storage): Promise<Array<{ name: string; role: OidcRole }>> {
      const out: Array<{ name: string; role: OidcRole }> = [];
      for (const name of await storage.list(ROLE_PREFIX)) {
        const role = await readJson<OidcRole>(storage, ROLE_PREFIX + name);
        if (role) out.push({ name, role });
      }
      return out;
    },
  };
}

export type OidcStore = ReturnType<typeof createOidcStore>;
