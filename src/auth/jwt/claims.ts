/**
 * Claim handling for the JWT/OIDC method (Vault's claims.go): claim lookup by name or JSON
 * pointer, bound claims (exact or glob), claim mappings into metadata, the user and groups
 * claims. Pure functions, no I/O.
 */
import { InvalidRequest } from '../../errors.js';

export type Claims = Record<string, unknown>;

/** A top-level claim by name, or a nested one by JSON pointer (`/a/b`). */
export function getClaim(claims: Claims, name: string): unknown {
  if (!name.startsWith('/')) return claims[name];
  let current: unknown = claims;
  for (const raw of name.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? current[Number(key)] : (current as Record<string, unknown>)[key];
  }
  return current;
}

/** `*` matches any run of characters (Vault's glob bound claims); everything else is literal. */
export function globMatch(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  if (!value.startsWith(parts[0])) return false;
  let index = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = value.indexOf(parts[i], index);
    if (found < 0) return false;
    index = found + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return value.length - last.length >= index && value.endsWith(last);
}

function scalarStrings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean').map(String);
}

/** Every bound claim must be present and match one of its allowed values. */
export function validateBoundClaims(claims: Claims, bound: Record<string, unknown>, type: 'string' | 'glob'): void {
  for (const [name, expected] of Object.entries(bound)) {
    const actual = getClaim(claims, name);
    if (actual === undefined || actual === null) throw new InvalidRequest(`error validating claims: claim "${name}" is missing`);
    const allowed = scalarStrings(expected);
    const values = scalarStrings(actual);
    const match = values.some((v) => allowed.some((a) => (type === 'glob' ? globMatch(a, v) : a === v)));
    if (!match) throw new InvalidRequest(`error validating claims: claim "${name}" does not match any associated bound claim values`);
  }
}

/** Checks a bound_claims map at role write time. */
export function checkBoundClaimsShape(bound: Record<string, unknown>, type: string): void {
  if (type !== 'string' && type !== 'glob') throw new InvalidRequest(`invalid 'bound_claims_type'`);
  for (const [name, value] of Object.entries(bound)) {
    const list = Array.isArray(value) ? value : [value];
    for (const v of list) {
      const ok = type === 'glob' ? typeof v === 'string' : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
      if (!ok) throw new InvalidRequest(`bound claim is not a string or list: ${JSON.stringify(name)}`);
    }
  }
}

/** Claim mappings (claim → metadata key); values must be strings, numbers or booleans. */
export function mapClaims(claims: Claims, mappings: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [source, target] of Object.entries(mappings)) {
    const value = getClaim(claims, source);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new InvalidRequest(`error converting claim '${source}' to string`);
    }
    out[target] = String(value);
  }
  return out;
}

/**
 * The alias name from the user claim (Vault: "claim %q not found in token"). The user claim is a
 * top-level name unless `jsonPointer` (Vault's user_claim_json_pointer) says it is a pointer.
 */
export function userClaimValue(claims: Claims, userClaim: string, jsonPointer = false): string {
  const value = jsonPointer ? getClaim(claims, userClaim) : claims[userClaim];
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string' || value === '') throw new InvalidRequest(`claim "${userClaim}" not found in token`);
  return value;
}

/** Group aliases from the groups claim: a list of strings or one string. */
export function groupsFromClaim(claims: Claims, groupsClaim: string): string[] {
  if (groupsClaim === '') return [];
  const value = getClaim(claims, groupsClaim);
  if (value === undefined || value === null) throw new InvalidRequest(`"${groupsClaim}" claim not found in token`);
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v) => typeof v === 'string')) throw new InvalidRequest(`"${groupsClaim}" claim is not a list of strings`);
  return [...new Set(list as string[])].filter((g) => g !== '');
}
