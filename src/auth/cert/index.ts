/** The TLS certificate auth method (Vault's builtin/credential/cert). */
import { InvalidRequest } from '../../errors.js';
import type { Backend } from '../../framework/backend.js';
import type { BackendContext } from '../../core/mounts/registry.js';
import { equivalentPolicies } from '../common/token-params.js';
import { certPaths } from './certs.js';
import { crlPaths } from './crls.js';
import { loginPaths, verifyRequestCertificate } from './login.js';

export function createCertBackend(deps: BackendContext & { now?: () => Date }): Backend {
  const now = deps.now ?? (() => new Date());
  return {
    paths: [...certPaths(), ...crlPaths(), ...loginPaths({ now })],
    unauthenticatedPaths: ['login'],
    /** Renewal re-verifies the connection's certificate, as Vault does: same certificate, still trusted, same policies. */
    async renewAuth(req, auth) {
      const name = String(auth.internal?.cert_name ?? auth.metadata.cert_name ?? '');
      const matched = await verifyRequestCertificate({ ...req, storage: deps.storage }, name, now());
      if (matched.leaf.fingerprint256 !== auth.internal?.fingerprint) throw new InvalidRequest('client certificate does not match the one the token was issued to');
      const entry = matched.entry.entry;
      if (!equivalentPolicies(entry.token_policies, auth.policies)) throw new InvalidRequest('policies have changed, not renewing');
      return { ...auth, ttlSeconds: entry.token_ttl || undefined, maxTtlSeconds: entry.token_max_ttl || undefined, periodSeconds: entry.token_period || undefined };
    },
  };
}
