/** auth/github/login {token}: a personal access token → the user's org teams → policies. */
import { InvalidRequest, PermissionDenied } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import { remoteAddressAllowed } from '../../core/tokens/cidr.js';
import { authResultFrom } from '../common/token-params.js';
import { readGithubConfig } from './config.js';
import type { GithubFetch } from './client.js';
import { verifyGithubToken } from './verify.js';

export function loginPaths(deps: { fetch?: GithubFetch }): PathDef<any>[] {
  return [
    path({
      pattern: 'login',
      fields: { token: { type: 'string', description: 'GitHub personal access token.' } } as const,
      operations: {
        update: async (req, d) => {
          const token = (d.token ?? '').trim();
          if (token === '') throw new InvalidRequest('missing token');
          const cfg = await readGithubConfig(req.storage);
          if (!cfg) throw new InvalidRequest('configure the github credential backend first');
          const id = await verifyGithubToken(req.storage, cfg, token, deps.fetch);
          if (!remoteAddressAllowed(req.remoteAddress, cfg.token_bound_cidrs)) throw new PermissionDenied();
          return {
            auth: authResultFrom({ ...cfg, token_policies: id.policies }, {
              displayName: id.login,
              metadata: { org: id.org, username: id.login },
              aliasName: id.login,
              groupAliases: id.teamNames,
              // Renewal re-checks the identity with the same token, as Vault does.
              internal: { token },
            }),
          };
        },
      },
      synopsis: 'Log in with a GitHub personal access token.',
    }),
  ];
}
