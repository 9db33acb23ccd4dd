/**
 * One place that turns a compact JWT into validated claims for a role: signature from the
 * configured key source, then the registered claims, then the role's bound claims.
 */
import { InvalidRequest } from '../../errors.js';
import type { AuthResult } from '../../framework/logical.js';
import { authResultFrom } from '../common/token-params.js';
import { groupsFromClaim, mapClaims, userClaimValue, validateBoundClaims, type Claims } from './claims.js';
import type { JwtConfig } from './config.js';
import { SUPPORTED_ALGS } from './config.js';
import { fetchDiscovery, parsePublicKeys, verifyWithKeys, type Discovery, type JwksCache } from './keys.js';
import type { JwtRole } from './roles.js';
import { checkRegisteredClaims } from './validate.js';

export interface VerifyDeps {
  jwks: JwksCache;
  discovery(cfg: JwtConfig): Promise<Discovery>;
  nowSeconds(): number;
}

/** Discovery documents cached per URL for the life of the backend (cleared on config write). */
export function createDiscoveryCache() {
  const cache = new Map<string, Promise<Discovery>>();
  return {
    get(cfg: JwtConfig): Promise<Discovery> {
      let entry = cache.get(cfg.oidc_discovery_url);
      if (!entry) {
        entry = fetchDiscovery(cfg.oidc_discovery_url, cfg.oidc_discovery_ca_pem);
        entry.catch(() => cache.delete(cfg.oidc_discovery_url));
        cache.set(cfg.oidc_discovery_url, entry);
      }
      return entry;
    },
    clear() { cache.clear(); },
  };
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Signature and registered claims; `audiences` and `issuer` are what this flow expects. */
export async function verifyToken(deps: VerifyDeps, cfg: JwtConfig, role: JwtRole, token: string, extra: { audiences?: string[] } = {}): Promise<Claims> {
  if (!COMPACT_JWS.test(token)) throw new InvalidRequest('error validating token: malformed JWT');
  const algorithms = cfg.jwt_supported_algs.length > 0 ? cfg.jwt_supported_algs : ['RS256'];
  const allowed = algorithms.flatMap((a) => (a === 'EdDSA' || a === 'Ed25519' ? ['EdDSA', 'Ed25519'] : [a])).filter((a) => (SUPPORTED_ALGS as readonly string[]).includes(a));
  let issuer = cfg.bound_issuer || undefined;
  let verified;
  if (cfg.jwt_validation_pubkeys.length > 0) {
    verified = await verifyWithKeys(token, parsePublicKeys(cfg.jwt_validation_pubkeys), allowed);
  } else if (cfg.jwks_url) {
    verified = await deps.jwks.verify(token, cfg.jwks_url, cfg.jwks_ca_pem, allowed);
  } else {
    const discovery = await deps.discovery(cfg);
    issuer = discovery.issuer;
    verified = await deps.jwks.verify(token, discovery.jwks_uri, cfg.oidc_discovery_ca_pem, allowed);
  }
  const claims = verified.payload;
  checkRegisteredClaims(claims, {
    issuer,
    audiences: extra.audiences ?? role.bound_audiences,
    subject: role.bound_subject || undefined,
    leeways: { clockSkew: role.clock_skew_leeway, expiration: role.expiration_leeway, notBefore: role.not_before_leeway },
    nowSeconds: deps.nowSeconds(),
  });
  if (Object.keys(role.bound_claims).length > 0) validateBoundClaims(claims, role.bound_claims, role.bound_claims_type);
  return claims;
}

/** The login result Vault builds from a role and validated claims. */
export function authFromClaims(roleName: string, role: JwtRole, claims: Claims): AuthResult {
  const alias = userClaimValue(claims, role.user_claim, role.user_claim_json_pointer ?? false);
  const mapped = mapClaims(claims, role.claim_mappings);
  const groups = groupsFromClaim(claims, role.groups_claim);
  return authResultFrom(role, {
    displayName: alias,
    metadata: { role: roleName, ...mapped },
    aliasName: alias,
    aliasMetadata: mapped,
    // With a groups claim configured, an empty list still syncs (drops stale external-group membership).
    groupAliases: role.groups_claim ? groups : undefined,
    internal: { role: roleName },
  });
}
