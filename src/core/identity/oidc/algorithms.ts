/**
 * Signing algorithms of identity-token named keys (Vault's supported set). One entry per
 * algorithm holds every fact; key generation, import and the JWKS dispatch through this table.
 */
export interface OidcAlgorithm {
  /** JOSE `alg` header value (also what jose's generateKeyPair takes). */
  alg: string;
  /** JWK key type of its keys. */
  kty: 'RSA' | 'EC' | 'OKP';
  /** Curve for EC/OKP keys; RSA keys are 2048-bit, as in Vault. */
  crv?: string;
}

const TABLE: readonly OidcAlgorithm[] = [
  { alg: 'RS256', kty: 'RSA' },
  { alg: 'RS384', kty: 'RSA' },
  { alg: 'RS512', kty: 'RSA' },
  { alg: 'ES256', kty: 'EC', crv: 'P-256' },
  { alg: 'ES384', kty: 'EC', crv: 'P-384' },
  { alg: 'ES512', kty: 'EC', crv: 'P-521' },
  { alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519' },
];

export const OIDC_ALGORITHMS: ReadonlyMap<string, OidcAlgorithm> = new Map(TABLE.map((a) => [a.alg, a]));

/** In table order: what discovery advertises as id_token_signing_alg_values_supported. */
export const OIDC_ALGORITHM_NAMES: readonly string[] = TABLE.map((a) => a.alg);

export function oidcAlgorithm(alg: string): OidcAlgorithm | undefined {
  return OIDC_ALGORITHMS.get(alg);
}
