/** identity/oidc/config: the issuer of identity tokens. */
import { InvalidRequest } from '../../../errors.js';
import { path, type PathDef } from '../../../framework/path.js';
import type { OidcDeps } from './deps.js';

/** Scheme http(s), a host, an optional port, nothing else (no path, query or user info). */
function validIssuer(issuer: string): boolean {
  if (!/^https?:\/\/[^/?#@\s]+$/.test(issuer)) return false;
  try {
    return new URL(issuer).host !== '';
  } catch {
    return false;
  }
}

export function configPaths(deps: OidcDeps): PathDef<any>[] {
  return [
    path({
      pattern: 'oidc/config',
      fields: {
        issuer: { type: 'string', description: "Issuer URL (scheme, host, optional port) for the tokens' iss claim; empty: the server's api_addr." },
      } as const,
      operations: {
        read: async (req) => {
          const { issuer } = await deps.oidc.config(req.storage);
          const warnings = issuer === '' && !deps.apiAddr()
            ? ['Both "issuer" and the server\'s "api_addr" are empty. The issuer claim in generated tokens will not be network reachable.']
            : undefined;
          return { data: { issuer }, ...(warnings ? { warnings } : {}) };
        },
        update: async (req, d) => {
          if (d.issuer === undefined) return undefined;
          if (d.issuer !== '' && !validIssuer(d.issuer)) {
            throw new InvalidRequest('invalid issuer, which must include only a scheme, host, and optional port (e.g. https://example.com:8200)');
          }
          await deps.oidc.locked(() => deps.oidc.putConfig(req.storage, { issuer: d.issuer! }));
          if (d.issuer === '') return undefined;
          return {
            warnings: ['If "issuer" is set explicitly, all tokens must be validated against that address, including those issued by secondary clusters. Setting issuer to "" will restore the default behavior of using the cluster\'s api_addr as the issuer.'],
          };
        },
      },
      synopsis: 'OIDC configuration',
      description: 'Read or update the issuer of identity tokens.',
    }),
  ];
}
