/** The userpass auth method (Vault's builtin/credential/userpass). */
import { InvalidRequest } from '../../errors.js';
import type { Backend } from '../../framework/backend.js';
import type { BackendContext } from '../../core/mounts/registry.js';
import { createPasswordVerifier, type ScryptCost } from '../common/password-hash.js';
import type { LockoutTracker } from '../common/lockout.js';
import { equivalentPolicies } from '../common/token-params.js';
import { userPaths } from './users.js';
import { loginPaths } from './login.js';
import { readUser } from './user-store.js';

export interface UserpassDeps extends BackendContext {
  lockouts?: LockoutTracker;
  /** Lower only in tests; the stored hash records its own cost. */
  scryptCost?: ScryptCost;
}

export function createUserpassBackend(deps: UserpassDeps): Backend {
  const passwords = createPasswordVerifier(deps.scryptCost);
  return {
    paths: [...userPaths({ storage: deps.storage, passwords }), ...loginPaths({ mount: deps.mount, passwords, lockouts: deps.lockouts })],
    unauthenticatedPaths: ['login', 'login/*'],
    async renewAuth(_req, auth) {
      const username = String(auth.internal?.username ?? auth.metadata.username ?? '');
      const user = await readUser(deps.storage, username);
      if (!user) throw new InvalidRequest('user no longer exists, not renewing');
      if (!equivalentPolicies(user.token_policies, auth.policies)) throw new InvalidRequest('policies have changed, not renewing');
      return {
        ...auth,
        ttlSeconds: user.token_ttl || undefined,
        maxTtlSeconds: user.token_max_ttl || undefined,
        periodSeconds: user.token_period || undefined,
      };
    },
  };
}
