/** The AppRole auth method (Vault's builtin/credential/approle). */
import { InvalidRequest } from '../../errors.js';
import type { Backend } from '../../framework/backend.js';
import type { BackendContext } from '../../core/mounts/registry.js';
import type { LockoutTracker } from '../common/lockout.js';
import { createAppRoleStore } from './store.js';
import { rolePaths } from './roles.js';
import { createSecretIdOps, secretIdPaths } from './secret-ids.js';
import { loginPaths } from './login.js';
import { tidyPaths } from './tidy.js';

export interface AppRoleDeps extends BackendContext {
  lockouts?: LockoutTracker;
  now?: () => number; // ms
}

export function createAppRoleBackend(deps: AppRoleDeps): Backend {
  const store = createAppRoleStore(deps.storage, (n) => deps.system.randomBytes(n));
  const ops = createSecretIdOps(store, deps.now);
  return {
    paths: [
      ...rolePaths({ store, deleteSecretIds: (role) => ops.destroyAll(role) }),
      ...secretIdPaths({ store, ops }),
      ...loginPaths({ mount: deps.mount, store, ops, lockouts: deps.lockouts }),
      ...tidyPaths({ store, now: deps.now }),
    ],
    unauthenticatedPaths: ['login'],
    async renewAuth(_req, auth) {
      const name = String(auth.internal?.role_name ?? '');
      const role = name ? await store.getRole(name) : undefined;
      if (!role) throw new InvalidRequest('role no longer exists, not renewing');
      return {
        ...auth,
        ttlSeconds: role.token_ttl || undefined,
        maxTtlSeconds: role.token_max_ttl || undefined,
        periodSeconds: role.token_period || undefined,
      };
    },
  };
}
