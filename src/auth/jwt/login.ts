/** auth/jwt/login: a JWT for a jwt-type role (Vault's path_login.go). */
import { InvalidRequest, PermissionDenied } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import { remoteAddressAllowed } from '../../core/tokens/cidr.js';
import { readJwtConfig } from './config.js';
import { readRole } from './roles.js';
import { authFromClaims, verifyToken, type VerifyDeps } from './verify.js';

export function loginPaths(deps: VerifyDeps): PathDef<any>[] {
  return [
    path({
      pattern: 'login',
      fields: { role: { type: 'string' }, jwt: { type: 'string' } } as const,
      operations: {
        update: async (req, d) => {
          const cfg = await readJwtConfig(req.storage);
          if (!cfg) throw new InvalidRequest('could not load configuration');
          const roleName = d.role || cfg.default_role;
          if (!roleName) throw new InvalidRequest('missing role');
          const role = await readRole(req.storage, roleName);
          if (!role) throw new InvalidRequest('role could not be found');
          if (role.role_type === 'oidc') throw new InvalidRequest('role with oidc role_type is not allowed');
          if (!d.jwt) throw new InvalidRequest('missing token');
          if (!remoteAddressAllowed(req.remoteAddress, role.token_bound_cidrs)) throw new PermissionDenied('request originated from invalid CIDR');
          const claims = await verifyToken(deps, cfg, role, d.jwt);
          return { auth: authFromClaims(roleName, role, claims) };
        },
      },
      synopsis: 'Authenticates to Arca using a JWT (or OIDC) token.',
    }),
  ];
}
