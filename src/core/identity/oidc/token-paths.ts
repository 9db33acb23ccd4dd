/**
 * identity/oidc/token/:name (a signed ID token for the calling token's entity) and
 * identity/oidc/introspect (is a token ours, unexpired, for a live entity?).
 */
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import { InvalidRequest } from '../../../errors.js';
import type { LogicalResponse } from '../../../framework/logical.js';
import { path, type PathDef } from '../../../framework/path.js';
import { OIDC_ALGORITHM_NAMES } from './algorithms.js';
import { currentKey, effectiveIssuer, publicKeySet, type OidcDeps } from './deps.js';
import { allowsClient } from './named-key.js';
import { RESERVED_CLAIMS, TemplateError, templateClaims, type TemplateInput } from './template.js';

/** The namespace claim: Arca has only the root namespace. */
const NAMESPACE_ID = 'root';

async function templateInput(deps: OidcDeps, entityId: string, nowSeconds: number): Promise<TemplateInput | undefined> {
  const entity = await deps.identity.getEntity(entityId);
  if (!entity) return undefined;
  const { direct, inherited } = await deps.identity.groupsOfEntity(entityId);
  const aliases = await deps.identity.aliasesOf(entityId);
  return {
    entity: { id: entity.id, name: entity.name, metadata: entity.metadata },
    aliases: aliases.map((a) => ({ id: a.id, name: a.name, mountAccessor: a.mount_accessor, metadata: a.metadata, customMetadata: a.custom_metadata })),
    groups: [...direct, ...inherited].map((g) => ({ id: g.id, name: g.name })),
    now: nowSeconds,
  };
}

function introspection(error?: string): LogicalResponse {
  const body = error === undefined ? { active: true } : { active: false, error };
  return { raw: { status: 200, contentType: 'application/json', body: JSON.stringify(body) } };
}

export function tokenPaths(deps: OidcDeps): PathDef<any>[] {
  const { oidc } = deps;
  return [
    path({
      pattern: 'oidc/token/:name',
      fields: { name: { type: 'string', description: 'Name of the role.' } } as const,
      operations: {
        read: async (req, d) => {
          const roleName = d.name ?? '';
          const role = await oidc.role(req.storage, roleName);
          if (!role) throw new InvalidRequest(`role "${roleName}" not found`);
          const key = await currentKey(deps, req.storage, role.key);
          if (!key) throw new InvalidRequest(`key "${role.key}" not found`);
          if (!allowsClient(key, role.clientId)) {
            throw new InvalidRequest(`the key "${role.key}" does not list the client ID of the role "${roleName}" as an allowed client ID`);
          }
          const entityId = req.caller?.entityId ?? '';
          if (entityId === '') throw new InvalidRequest("no entity associated with the request's token");
          const warnings: string[] = [];
          let expiry = role.ttl;
          if (expiry > key.verificationTtl) {
            expiry = key.verificationTtl;
            warnings.push(`a role's token ttl cannot be longer than the verification_ttl of the key it references, setting token ttl to ${expiry}`);
          }
          const now = Math.floor(deps.now() / 1000);
          const input = await templateInput(deps, entityId, now);
          if (!input) throw new InvalidRequest(`error loading entity ID "${entityId}"`);
          const claims: Record<string, unknown> = {
            iss: await effectiveIssuer(deps, req.storage),
            namespace: NAMESPACE_ID,
            sub: entityId,
            aud: role.clientId,
            exp: now + expiry,
            iat: now,
          };
          // The template was checked when the role was written; a failure now leaves only the standard claims.
          let extra: Record<string, unknown> = {};
          try {
            extra = templateClaims(role.template, input);
          } catch (err) {
            if (!(err instanceof TemplateError)) throw err;
          }
          for (const [k, v] of Object.entries(extra)) if (!RESERVED_CLAIMS.includes(k)) claims[k] = v;
          const token = await deps.signer.sign(key, claims);
          return { data: { client_id: role.clientId, token, ttl: role.ttl }, ...(warnings.length > 0 ? { warnings } : {}) };
        },
      },
      synopsis: 'Generate an OIDC token',
      description: "Generate an identity token against a role, for the calling token's entity.",
    }),
    path({
      pattern: 'oidc/introspect',
      fields: {
        token: { type: 'string', description: 'The token to verify.' },
        client_id: { type: 'string', description: 'When set, the token must carry it in aud.' },
      } as const,
      operations: {
        update: async (req, d) => {
          const jwks = createLocalJWKSet(await publicKeySet(deps, req.storage));
          let subject: string | undefined;
          try {
            const { payload } = await jwtVerify(d.token ?? '', jwks, {
              issuer: await effectiveIssuer(deps, req.storage),
              algorithms: [...OIDC_ALGORITHM_NAMES],
              currentDate: new Date(deps.now()),
              ...(d.client_id ? { audience: d.client_id } : {}),
            });
            subject = payload.sub;
          } catch (err) {
            if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWSSignatureVerificationFailed) {
              return introspection('unable to validate the token signature');
            }
            if (err instanceof errors.JWTExpired || err instanceof errors.JWTClaimValidationFailed) {
              return introspection(`error validating claims: ${err.message}`);
            }
            if (err instanceof errors.JOSEError) return introspection(`error parsing token: ${err.message}`);
            throw err;
          }
          const entity = subject ? await deps.identity.getEntity(subject) : undefined;
          if (!entity) return introspection('entity was not found');
          if (entity.disabled) return introspection('entity is disabled');
          return introspection();
        },
      },
      synopsis: 'Verify the authenticity of an OIDC token',
      description: 'Answers {"active": true} for a token signed by a published key, unexpired, from this issuer, whose entity exists and is enabled.',
    }),
  ];
}
