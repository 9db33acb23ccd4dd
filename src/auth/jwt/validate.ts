/**
 * Registered-claim checks after the signature is verified (Vault's cap/jwt Validate): issuer,
 * audience, subject, and the exp/nbf/iat times with the role's leeways. Pure, clock injected.
 */
import { InvalidRequest } from '../../errors.js';
import type { Claims } from './claims.js';

export interface Leeways {
  /** Seconds; -1 disables (Vault's clock_skew_leeway, default 60). */
  clockSkew: number;
  /** Seconds added to exp; 0 means Vault's default 150, -1 means none (the check stays). */
  expiration: number;
  /** Seconds subtracted from nbf; 0 means Vault's default 150, -1 means none (the check stays). */
  notBefore: number;
}

export interface Expected {
  issuer?: string;
  audiences: string[];
  subject?: string;
  leeways: Leeways;
  nowSeconds: number;
}

const fail = (what: string) => new InvalidRequest(`error validating token: ${what}`);

function seconds(v: number, fallback: number): number {
  if (v < 0) return 0;
  return v === 0 ? fallback : v;
}

export function audiencesOf(claims: Claims): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}

export function checkRegisteredClaims(claims: Claims, expected: Expected): void {
  const skew = expected.leeways.clockSkew < 0 ? 0 : expected.leeways.clockSkew;
  const now = expected.nowSeconds;
  const num = (name: string): number | undefined => {
    const v = claims[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw fail(`invalid ${name} claim`);
    return v;
  };
  const exp = num('exp');
  const nbf = num('nbf');
  const iat = num('iat');
  if (exp === undefined) throw fail('exp claim is required');
  if (now > exp + seconds(expected.leeways.expiration, 150) + skew) {
    throw fail('invalid expiration time (exp) claim: token is expired');
  }
  if (nbf !== undefined && now < nbf - seconds(expected.leeways.notBefore, 150) - skew) {
    throw fail('invalid not before (nbf) claim: token not yet valid');
  }
  if (iat !== undefined && now < iat - skew) throw fail('invalid issued at (iat) claim: token issued in the future');
  if (expected.issuer && claims.iss !== expected.issuer) throw fail('invalid issuer (iss) claim');
  const auds = audiencesOf(claims);
  if (expected.audiences.length > 0) {
    if (!auds.some((a) => expected.audiences.includes(a))) throw fail('invalid audience (aud) claim: audience claim does not match any expected audience');
  } else if (auds.length > 0) {
    throw new InvalidRequest('audience claim found in JWT but no audiences bound to the role');
  }
  if (expected.subject && claims.sub !== expected.subject) throw new InvalidRequest('sub claim does not match bound subject');
}
