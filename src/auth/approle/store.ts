/**
 * AppRole storage (permanent layouts, versioned JSON) in the mount's view:
 *   salt                                  32 random bytes, the HMAC key of this mount
 *   role/<name>                           RoleEntry
 *   role_id/<hmac(role_id)>               { name }
 *   secret_id/<hmac(role)>/<hmac(secret)> SecretIdEntry  (secret ids are stored only hashed)
 *   accessor/<hmac(accessor)>             { secret_id_hmac, role_name_hmac }
 */
import { createHmac } from 'node:crypto';
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';
import type { TokenParams } from '../common/token-params.js';

export const APPROLE_ENTRY_VERSION = 1;

export interface RoleEntry extends TokenParams {
  v: number;
  name: string;
  role_id: string;
  bind_secret_id: boolean;
  secret_id_bound_cidrs: string[];
  secret_id_num_uses: number;
  secret_id_ttl: number;
  local_secret_ids: boolean;
}

export interface SecretIdEntry {
  v: number;
  secret_id_accessor: string;
  /** Uses left; 0 = unlimited. */
  secret_id_num_uses: number;
  secret_id_ttl: number;
  creation_time: string;
  /** ISO time, or "0001-01-01T00:00:00Z" for none (Vault's zero time). */
  expiration_time: string;
  last_updated_time: string;
  metadata: Record<string, string>;
  cidr_list: string[];
  token_bound_cidrs: string[];
}

export interface AccessorEntry {
  secret_id_hmac: string;
  role_name_hmac: string;
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function createAppRoleStore(storage: BarrierStorage, randomBytes: (n: number) => Promise<Buffer>) {
  let salt: Promise<Buffer> | undefined;

  function loadSalt(): Promise<Buffer> {
    salt ??= (async () => {
      const existing = await storage.get('salt');
      if (existing) return existing;
      const fresh = await randomBytes(32);
      await storage.put('salt', fresh);
      return fresh;
    })();
    return salt;
  }

  async function hmac(value: string): Promise<string> {
    return createHmac('sha256', await loadSalt()).update(value, 'utf8').digest('hex');
  }

  return {
    hmac,
    getRole: (name: string) => getJson<RoleEntry>(storage, `role/${name}`),
    putRole: (role: RoleEntry) => putJson(storage, `role/${role.name}`, role),
    deleteRole: (name: string) => storage.delete(`role/${name}`),
    listRoles: () => storage.list('role/'),

    async roleNameById(roleId: string): Promise<string | undefined> {
      return (await getJson<{ name: string }>(storage, `role_id/${await hmac(roleId)}`))?.name;
    },
    async setRoleId(roleId: string, name: string) { await putJson(storage, `role_id/${await hmac(roleId)}`, { name }); },
    async deleteRoleId(roleId: string) { await storage.delete(`role_id/${await hmac(roleId)}`); },

    async secretIdKey(roleName: string, secretId: string): Promise<{ roleHmac: string; secretHmac: string; key: string }> {
      const roleHmac = await hmac(roleName);
      const secretHmac = await hmac(secretId);
      return { roleHmac, secretHmac, key: `secret_id/${roleHmac}/${secretHmac}` };
    },
    getSecretId: (key: string) => getJson<SecretIdEntry>(storage, key),
    putSecretId: (key: string, entry: SecretIdEntry) => putJson(storage, key, entry),
    deleteSecretIdKey: (key: string) => storage.delete(key),
    listSecretIds: (roleHmac: string) => storage.list(`secret_id/${roleHmac}/`),
    listSecretIdRoles: () => storage.list('secret_id/'),

    async getAccessor(accessor: string) { return getJson<AccessorEntry>(storage, `accessor/${await hmac(accessor)}`); },
    async putAccessor(accessor: string, entry: AccessorEntry) { await putJson(storage, `accessor/${await hmac(accessor)}`, entry); },
    async deleteAccessor(accessor: string) { await storage.delete(`accessor/${await hmac(accessor)}`); },
    listAccessorKeys: () => storage.list('accessor/'),
    getAccessorByKey: (key: string) => getJson<AccessorEntry>(storage, `accessor/${key}`),
    deleteAccessorByKey: (key: string) => storage.delete(`accessor/${key}`),
  };
}

export type AppRoleStore = ReturnType<typeof createAppRoleStore>;

export function isExpired(entry: SecretIdEntry, nowMs: number): boolean {
  return entry.expiration_time !== ZERO_TIME && Date.parse(entry.expiration_time) <= nowMs;
}
