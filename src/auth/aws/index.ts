/** The AWS auth method, iam login type (Vault's builtin/credential/aws). */
import { InvalidRequest } from '../../errors.js';
import type { Backend } from '../../framework/backend.js';
import type { BackendContext } from '../../core/mounts/registry.js';
import { configPaths } from './config.js';
import { rolePaths, readRole } from './roles.js';
import { loginPaths } from './login.js';
import { principalBound, parsePrincipalArn } from './arn.js';
import type { StsTransport } from './sts.js';

export function createAwsBackend(deps: BackendContext & { sts?: StsTransport }): Backend {
  return {
    paths: [...configPaths({ storage: deps.storage }), ...rolePaths({ storage: deps.storage }), ...loginPaths({ sts: deps.sts })],
    unauthenticatedPaths: ['login'],
    async renewAuth(_req, auth) {
      const name = String(auth.internal?.role_name ?? '');
      const role = name ? await readRole(deps.storage, name) : undefined;
      if (!role || role.role_id !== auth.internal?.role_id) throw new InvalidRequest('role entry not found');
      const principal = parsePrincipalArn(String(auth.internal?.full_arn ?? ''));
      if (!principalBound(principal, role.bound_iam_principal_arn)) throw new InvalidRequest('role no longer binds the IAM principal, not renewing');
      return { ...auth, ttlSeconds: role.token_ttl || undefined, maxTtlSeconds: role.token_max_ttl || undefined, periodSeconds: role.token_period || undefined };
    },
  };
}
