/**
 * Vault's versioned value layout shared by ciphertexts, signatures and HMACs:
 *
 *   vault:v<N>:<payload>
 *
 * N is the key version (a decimal integer; "0" is read as 1, as Vault does for values made
 * before numbering started at 1); the payload is base64 (standard, padded) of the bytes, or
 * base64url without padding for JWS-marshaled signatures.
 */
import { InvalidRequest } from '../../errors.js';

export const VERSION_PREFIX = 'vault:v';

export function formatVersioned(version: number, payload: string): string {
  return `${VERSION_PREFIX}${version}:${payload}`;
}

export type VersionedKind = 'ciphertext' | 'signature' | 'hmac';

/** Splits a versioned value. Errors name what was wrong, never the value itself. */
export function parseVersioned(text: string, kind: VersionedKind): { version: number; payload: string } {
  if (typeof text !== 'string' || !text.startsWith(VERSION_PREFIX)) throw new InvalidRequest(`invalid ${kind}: no prefix`);
  const rest = text.slice(VERSION_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) throw new InvalidRequest(`invalid ${kind}: wrong number of fields`);
  const digits = rest.slice(0, colon);
  if (!/^\d{1,9}$/.test(digits)) throw new InvalidRequest(`invalid ${kind}: version number could not be decoded`);
  const version = Number(digits);
  return { version: version === 0 ? 1 : version, payload: rest.slice(colon + 1) };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict standard base64 (Go's StdEncoding): rejects what Buffer.from would silently skip. */
export function decodeBase64(text: unknown, what: string): Buffer {
  if (typeof text !== 'string' || !BASE64.test(text)) throw new InvalidRequest(`failed to base64-decode ${what}`);
  return Buffer.from(text, 'base64');
}

export function decodeBase64Url(text: string, what: string): Buffer {
  if (!BASE64URL.test(text) || text.length % 4 === 1) throw new InvalidRequest(`failed to base64url-decode ${what}`);
  return Buffer.from(text, 'base64url');
}
