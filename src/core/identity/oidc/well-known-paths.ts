/**
 * The unauthenticated discovery documents: identity/oidc/.well-known/openid-configuration and
 * .well-known/keys (the JWKS verifiers fetch). Bare JSON, no Vault envelope.
 */
import type { LogicalResponse } from '../../../framework/logical.js';
import { path, type PathDef } from '../../../framework/path.js';
import { OIDC_ALGORITHM_NAMES } from './algorithms.js';
import { effectiveIssuer, publicKeySet, type OidcDeps } from './deps.js';

/** Backend-relative paths reachable without a token. */
export const OIDC_UNAUTHENTICATED_PATHS = ['oidc/.well-known/*'];

function json(body: unknown): LogicalResponse {
  return { raw: { status: 200, contentType: 'application/json', body: JSON.stringify(body) } };
}

export function wellKnownPaths(deps: OidcDeps): PathDef<any>[] {
  return [
    path({
      pattern: 'oidc/.well-known/openid-configuration',
      operations: {
        read: async (req) => {
          const issuer = await effectiveIssuer(deps, req.storage);
          return json({
            issuer,
            jwks_uri: `${issuer}/.well-known/keys`,
            response_types_supported: ['id_token'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: OIDC_ALGORITHM_NAMES,
          });
        },
      },
      synopsis: 'Query OIDC configurations',
    }),
    path({
      pattern: 'oidc/.well-known/keys',
      operations: {
        read: async (req) => json(await publicKeySet(deps, req.storage)),
      },
      synopsis: 'Retrieve public keys',
      description: 'The public keys that verify identity tokens: current, next and recently rotated-out keys of every key a role uses.',
    }),
  ];
}
