/** The JWT/OIDC auth method (Vault's vault-plugin-auth-jwt), mounted as type `jwt` or `oidc`. */
import { InvalidRequest } from '../../errors.js';
import type { Backend } from '../../framework/backend.js';
import type { BackendContext } from '../../core/mounts/registry.js';
import { equivalentPolicies } from '../common/token-params.js';
import { configPaths } from './config.js';
import { createJwksCache } from './keys.js';
import { loginPaths } from './login.js';
import { createStateStore, oidcPaths } from './oidc.js';
import { readRole, rolePaths } from './roles.js';
import { createDiscoveryCache, type VerifyDeps } from './verify.js';

export interface JwtBackendDeps extends BackendContext {
  now?: () => number;
}

export function createJwtBackend(deps: JwtBackendDeps): Backend {
  const now = deps.now ?? Date.now;
  const jwks = createJwksCache({ now });
  const discovery = createDiscoveryCache();
  const states = createStateStore(now);
  const verify: VerifyDeps = { jwks, discovery: (cfg) => discovery.get(cfg), nowSeconds: () => Math.floor(now() / 1000) };
  return {
    paths: [
      ...configPaths({ onChange: () => { jwks.clear(); discovery.clear(); } }),
      ...rolePaths(),
      ...loginPaths(verify),
      ...oidcPaths({ ...verify, states }),
    ],
    unauthenticatedPaths: ['login', 'oidc/auth_url', 'oidc/callback'],
    async renewAuth(_req, auth) {
      const roleName = String(auth.internal?.role ?? auth.metadata.role ?? '');
      const role = await readRole(deps.storage, roleName);
      if (!role) throw new InvalidRequest('role could not be found during renewal');
      if (!equivalentPolicies(role.token_policies, auth.policies)) throw new InvalidRequest('policies have changed, not renewing');
      return { ...auth, ttlSeconds: role.token_ttl || undefined, maxTtlSeconds: role.token_max_ttl || undefined, periodSeconds: role.token_period || undefined };
    },
    async cleanup() { states.clear(); },
  };
}
