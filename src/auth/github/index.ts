/** The GitHub auth method (Vault's builtin/credential/github). */
import { InvalidRequest } from '../../errors.js';
import type { Backend } from '../../framework/backend.js';
import type { BackendContext } from '../../core/mounts/registry.js';
import { equivalentPolicies } from '../common/token-params.js';
import type { GithubFetch } from './client.js';
import { configPaths, readGithubConfig } from './config.js';
import { mapsPaths } from './map.js';
import { loginPaths } from './login.js';
import { verifyGithubToken } from './verify.js';

export function createGithubBackend(deps: BackendContext & { fetch?: GithubFetch }): Backend {
  return {
    paths: [...configPaths({ storage: deps.storage, fetch: deps.fetch }), ...mapsPaths({ storage: deps.storage }), ...loginPaths({ fetch: deps.fetch })],
    unauthenticatedPaths: ['login'],
    async renewAuth(_req, auth) {
      const token = String(auth.internal?.token ?? '');
      const cfg = await readGithubConfig(deps.storage);
      if (!cfg || token === '') throw new InvalidRequest('configure the github credential backend first');
      const id = await verifyGithubToken(deps.storage, cfg, token, deps.fetch);
      if (!equivalentPolicies(id.policies, auth.policies)) throw new InvalidRequest('policies do not match');
      return { ...auth, ttlSeconds: cfg.token_ttl || undefined, maxTtlSeconds: cfg.token_max_ttl || undefined, periodSeconds: cfg.token_period || undefined };
    },
  };
}
