/**
 * auth/kubernetes/login {role, jwt}: the claimed service account must be bound to the role
 * (checked before any call), then the TokenReview API must authenticate the token as that same
 * account (and audience).
 */
import { InvalidRequest, PermissionDenied } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import { remoteAddressAllowed } from '../../core/tokens/cidr.js';
import { authResultFrom } from '../common/token-params.js';
import { effectiveCredentials, readK8sConfig } from './config.js';
import { boundMatches, readK8sRole } from './roles.js';
import { claimedServiceAccount } from './service-account.js';
import { reviewToken } from './token-review.js';

export function loginPaths(deps: { localServiceAccountDir: string }): PathDef<any>[] {
  return [
    path({
      pattern: 'login',
      fields: { role: { type: 'string' }, jwt: { type: 'string' } } as const,
      operations: {
        update: async (req, d) => {
          const roleName = (d.role ?? '').trim();
          if (roleName === '') throw new InvalidRequest('missing role');
          const jwt = (d.jwt ?? '').trim();
          if (jwt === '') throw new InvalidRequest('missing jwt');
          const role = await readK8sRole(req.storage, roleName);
          if (!role) throw new InvalidRequest('invalid role name');
          const cfg = await readK8sConfig(req.storage);
          if (!cfg) throw new InvalidRequest('could not load backend configuration');
          if (!remoteAddressAllowed(req.remoteAddress, role.token_bound_cidrs)) throw new PermissionDenied();

          const sa = claimedServiceAccount(jwt);
          if (!boundMatches(role.bound_service_account_namespaces, sa.namespace)) throw new PermissionDenied('namespace not authorized');
          if (!boundMatches(role.bound_service_account_names, sa.name)) throw new PermissionDenied('service account name not authorized');
          if (role.audience && !sa.audiences.includes(role.audience)) throw new PermissionDenied('invalid audience (aud) claim: audience claim does not match any expected audience');

          const creds = await effectiveCredentials(cfg, deps.localServiceAccountDir);
          const review = await reviewToken({
            host: cfg.kubernetes_host, ca: creds.ca, reviewerJwt: creds.reviewerJwt || jwt, jwt,
            audiences: role.audience ? [role.audience] : [],
          });
          if (!review.authenticated) throw new PermissionDenied('lookup failed: service account jwt not valid');
          if (review.username !== `system:serviceaccount:${sa.namespace}:${sa.name}`) throw new PermissionDenied('JWT names did not match TokenReview');
          if (sa.uid !== '' && review.uid !== sa.uid) throw new PermissionDenied('JWT UID did not match TokenReview');
          if (role.audience && !review.audiences.includes(role.audience)) throw new PermissionDenied('TokenReview did not confirm the role audience');
          const uid = review.uid || sa.uid;
          if (uid === '' && role.alias_name_source === 'serviceaccount_uid') throw new InvalidRequest('service account UID unknown; use alias_name_source=serviceaccount_name');

          const metadata = { service_account_name: sa.name, service_account_namespace: sa.namespace, service_account_uid: uid, service_account_secret_name: '', role: roleName };
          return {
            auth: authResultFrom(role, {
              displayName: `${sa.namespace}-${sa.name}`,
              metadata,
              aliasName: role.alias_name_source === 'serviceaccount_name' ? `${sa.namespace}/${sa.name}` : uid,
              aliasMetadata: { service_account_name: sa.name, service_account_namespace: sa.namespace, service_account_uid: uid },
              internal: { role: roleName },
            }),
          };
        },
      },
      synopsis: 'Log in with a Kubernetes service-account token.',
    }),
  ];
}
