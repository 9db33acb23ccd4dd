/**
 * AppRole login: role_id (+ secret_id when bound), secret id use counting, CIDR checks on the
 * secret id and the role, lockout on the role id; Vault's "invalid role or secret ID".
 */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { MountEntry } from '../../core/mounts/entry.js';
import { remoteAddressAllowed } from '../../core/tokens/cidr.js';
import { authResultFrom } from '../common/token-params.js';
import { canonicalAlias, type LockoutTracker } from '../common/lockout.js';
import { guardedLogin } from '../common/login-guard.js';
import type { AppRoleStore, RoleEntry, SecretIdEntry } from './store.js';
import type { SecretIdOps } from './secret-ids.js';

export const INVALID_ROLE_OR_SECRET = 'invalid role or secret ID';

export function loginPaths(deps: { mount: MountEntry; store: AppRoleStore; ops: SecretIdOps; lockouts?: LockoutTracker }): PathDef<any>[] {
  const { store, ops } = deps;

  /** Consumes one use of the secret id; the last use deletes it. */
  async function consume(role: RoleEntry, key: string, entry: SecretIdEntry): Promise<void> {
    if (entry.secret_id_num_uses === 0) return;
    if (entry.secret_id_num_uses === 1) {
      await ops.destroy(role, key, entry);
      return;
    }
    await store.putSecretId(key, { ...entry, secret_id_num_uses: entry.secret_id_num_uses - 1, last_updated_time: new Date().toISOString() });
  }

  return [
    path({
      pattern: 'login',
      fields: { role_id: { type: 'string' }, secret_id: { type: 'string' } } as const,
      operations: {
        update: async (req, d) => {
          if (!d.role_id) throw new InvalidRequest('missing role_id');
          const roleId = d.role_id;
          const name = await store.roleNameById(roleId);
          const role = name ? await store.getRole(name) : undefined;
          if (!role) throw new InvalidRequest(INVALID_ROLE_OR_SECRET);
          let secret: SecretIdEntry | undefined;
          if (role.bind_secret_id) {
            if (!d.secret_id) throw new InvalidRequest('missing secret_id');
            const secretId = d.secret_id;
            secret = await guardedLogin(deps.lockouts, deps.mount, req, canonicalAlias(roleId), async () => {
              const found = await ops.find(role, secretId);
              if (!found) return { ok: false, error: new InvalidRequest(INVALID_ROLE_OR_SECRET), count: true };
              await consume(role, found.key, found.entry);
              return { ok: true, value: found.entry };
            });
            if (!remoteAddressAllowed(req.remoteAddress, secret.cidr_list)) {
              throw new InvalidRequest('source address unauthorized by CIDR restrictions on the secret ID');
            }
          }
          if (!remoteAddressAllowed(req.remoteAddress, role.secret_id_bound_cidrs)) {
            throw new InvalidRequest('source address unauthorized by CIDR restrictions on the role');
          }
          const metadata = { ...(secret?.metadata ?? {}), role_name: role.name };
          const params = secret && secret.token_bound_cidrs.length > 0 ? { ...role, token_bound_cidrs: secret.token_bound_cidrs } : role;
          return {
            auth: authResultFrom(params, {
              displayName: role.name,
              metadata,
              aliasName: role.role_id,
              aliasMetadata: metadata,
              internal: { role_name: role.name },
            }),
          };
        },
      },
      synopsis: 'Issue a token based on the credentials supplied.',
    }),
  ];
}
