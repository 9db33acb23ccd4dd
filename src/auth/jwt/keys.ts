/**
 * Where signing keys come from: static PEM public keys, a JWKS URL, or OIDC discovery (whose
 * `jwks_uri` is then used). JWKS are cached; an unknown `kid` refetches once (key rotation),
 * with a cooldown between miss-triggered refetches so random kids cannot make us hammer the issuer.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet } from 'jose';
import { InvalidRequest } from '../../errors.js';
import { fetchJson } from './fetch.js';

export interface Discovery {
  issuer: string;
  jwks_uri: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
}

export function parsePublicKeys(pems: string[]): KeyObject[] {
  return pems.map((pem) => {
    try {
      return createPublicKey(pem);
    } catch {
      throw new InvalidRequest('error parsing public key');
    }
  });
}

export async function fetchDiscovery(url: string, caPem: string): Promise<Discovery> {
  const base = url.replace(/\/+$/, '');
  const { status, json } = await fetchJson(`${base}/.well-known/openid-configuration`, 'error fetching OIDC discovery document', { caPem });
  if (status !== 200) throw new InvalidRequest(`error checking oidc discovery URL: status ${status}`);
  if (typeof json.issuer !== 'string' || typeof json.jwks_uri !== 'string') throw new InvalidRequest('error checking oidc discovery URL: missing issuer or jwks_uri');
  // OpenID Connect Discovery 1.0 §4.3: the issuer must be exactly the URL it was discovered from.
  if (json.issuer.replace(/\/+$/, '') !== base) throw new InvalidRequest('error checking oidc discovery URL: issuer did not match the discovery URL');
  return json as unknown as Discovery;
}

export async function fetchJwks(url: string, caPem: string): Promise<JSONWebKeySet> {
  const { status, json } = await fetchJson(url, 'error fetching JWKS', { caPem });
  if (status !== 200 || !Array.isArray(json.keys)) throw new InvalidRequest('error checking jwks URL: not a JSON Web Key Set');
  return json as unknown as JSONWebKeySet;
}

export interface Verified { payload: Record<string, unknown>; alg: string }

function decodePayload(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try { value = JSON.parse(Buffer.from(bytes).toString('utf8')); } catch { value = undefined; }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidRequest('error validating token: payload is not a JSON object');
  return value as Record<string, unknown>;
}

const signatureError = () => new InvalidRequest('error validating token: failed to verify signature');

/** Verifies against static keys: any one that validates the signature wins. */
export async function verifyWithKeys(token: string, keys: KeyObject[], algorithms: string[]): Promise<Verified> {
  for (const key of keys) {
    try {
      const { payload, protectedHeader } = await compactVerify(token, key, { algorithms });
      return { payload: decodePayload(payload), alg: protectedHeader.alg };
    } catch (err) {
      if (err instanceof InvalidRequest) throw err;
    }
  }
  throw signatureError();
}

/** A cached JWKS for one URL, refetched on an unknown kid. */
export function createJwksCache(deps: { now?: () => number; missCooldownMs?: number } = {}) {
  const now = deps.now ?? Date.now;
  const cooldown = deps.missCooldownMs ?? 5_000;
  let cached: { url: string; set: JSONWebKeySet; lastMissFetch: number } | undefined;

  async function load(url: string, caPem: string, force: boolean): Promise<JSONWebKeySet> {
    if (!force && cached?.url === url) return cached.set;
    const set = await fetchJwks(url, caPem);
    cached = { url, set, lastMissFetch: force ? now() : cached?.url === url ? cached.lastMissFetch : -Infinity };
    return set;
  }

  async function attempt(token: string, set: JSONWebKeySet, algorithms: string[]): Promise<Verified> {
    const { payload, protectedHeader } = await compactVerify(token, createLocalJWKSet(set), { algorithms });
    return { payload: decodePayload(payload), alg: protectedHeader.alg };
  }

  return {
    async verify(token: string, url: string, caPem: string, algorithms: string[]): Promise<Verified> {
      try {
        return await attempt(token, await load(url, caPem, false), algorithms);
      } catch (err) {
        if (err instanceof InvalidRequest) throw err;
        const miss = err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys;
        if (!miss || (cached && now() - cached.lastMissFetch < cooldown)) throw signatureError();
      }
      try {
        return await attempt(token, await load(url, caPem, true), algorithms);
      } catch (err) {
        if (err instanceof InvalidRequest) throw err;
        throw signatureError();
      }
    },
    clear() { cached = undefined; },
  };
}

export type JwksCache = ReturnType<typeof createJwksCache>;
