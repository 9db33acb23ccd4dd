/** The Kubernetes auth method (Vault's vault-plugin-auth-kubernetes). */
import { InvalidRequest } from '../../errors.js';
import type { Backend } from '../../framework/backend.js';
import type { BackendContext } from '../../core/mounts/registry.js';
import { equivalentPolicies } from '../common/token-params.js';
import { configPaths, LOCAL_SERVICE_ACCOUNT_DIR } from './config.js';
import { rolePaths, readK8sRole } from './roles.js';
import { loginPaths } from './login.js';

export function createKubernetesBackend(deps: BackendContext & { localServiceAccountDir?: string }): Backend {
  return {
    paths: [...configPaths({ storage: deps.storage }), ...rolePaths({ storage: deps.storage }), ...loginPaths({ localServiceAccountDir: deps.localServiceAccountDir ?? LOCAL_SERVICE_ACCOUNT_DIR })],
    unauthenticatedPaths: ['login'],
    async renewAuth(_req, auth) {
      const name = String(auth.internal?.role ?? '');
      const role = name ? await readK8sRole(deps.storage, name) : undefined;
      if (!role) throw new InvalidRequest('role no longer exists, not renewing');
      if (!equivalentPolicies(role.token_policies, auth.policies)) throw new InvalidRequest('policies have changed, not renewing');
      return { ...auth, ttlSeconds: role.token_ttl || undefined, maxTtlSeconds: role.token_max_ttl || undefined, periodSeconds: role.token_period || undefined };
    },
  };
}
