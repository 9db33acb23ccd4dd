/** auth/aws/login (iam): check the signed request, ask the configured STS who signed it, bind the ARN. */
import { InvalidRequest, PermissionDenied } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import { remoteAddressAllowed } from '../../core/tokens/cidr.js';
import { authResultFrom } from '../common/token-params.js';
import { readClientConfig, stsEndpoint, stsRegion } from './config.js';
import { checkIamRequest } from './iam-request.js';
import { getCallerIdentity, type StsTransport } from './sts.js';
import { principalBound } from './arn.js';
import { readRole } from './roles.js';

export function loginPaths(deps: { sts?: StsTransport }): PathDef<any>[] {
  return [
    path({
      pattern: 'login',
      fields: {
        role: { type: 'string' },
        iam_http_request_method: { type: 'string' },
        iam_request_url: { type: 'string' },
        iam_request_body: { type: 'string' },
        iam_request_headers: { type: 'any' },
        pkcs7: { type: 'string' },
        identity: { type: 'string' },
        signature: { type: 'string' },
      } as const,
      operations: {
        update: async (req, d) => {
          if (d.pkcs7 || d.identity || d.signature) throw new InvalidRequest('the ec2 login type is not supported; use iam');
          const cfg = await readClientConfig(req.storage);
          const endpoint = stsEndpoint(cfg);
          const checked = checkIamRequest(d, endpoint, stsRegion(cfg), cfg.iam_server_id_header_value);
          const caller = await getCallerIdentity(endpoint, checked, deps.sts);
          const p = caller.principal;
          const roleName = (d.role ?? '').trim() || p.friendlyName;
          const role = await readRole(req.storage, roleName);
          if (!role) throw new InvalidRequest('entry for role not found (the role parameter, or a role named after the principal)');
          if (!principalBound(p, role.bound_iam_principal_arn)) {
            throw new PermissionDenied(`IAM Principal ${JSON.stringify(p.canonical)} does not belong to the role`);
          }
          if (!remoteAddressAllowed(req.remoteAddress, role.token_bound_cidrs)) throw new PermissionDenied();
          const metadata = {
            account_id: caller.account,
            auth_type: 'iam',
            canonical_arn: p.canonical,
            client_arn: caller.arn,
            client_user_id: caller.userId,
            inferred_aws_region: '',
            inferred_entity_id: '',
            inferred_entity_type: '',
            role: roleName,
            role_id: role.role_id,
          };
          return {
            auth: authResultFrom(role, {
              displayName: p.friendlyName,
              metadata,
              // Vault's default iam_alias is the role's ID.
              aliasName: role.role_id,
              aliasMetadata: { account_id: caller.account, canonical_arn: p.canonical, client_arn: caller.arn, client_user_id: caller.userId },
              internal: { role_name: roleName, role_id: role.role_id, canonical_arn: p.canonical, full_arn: p.fullArn },
            }),
          };
        },
      },
      synopsis: 'Log in with a signed sts:GetCallerIdentity request (iam).',
    }),
  ];
}
