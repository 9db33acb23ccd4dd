/**
 * RFC 4226 HOTP / RFC 6238 TOTP and the otpauth:// key URI, as Google Authenticator reads it.
 * Pure functions over key bytes: no storage, no HTTP.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';

/** Hash algorithms a TOTP key may use, with their node:crypto names. */
export const TOTP_ALGORITHMS = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const;
export type TotpAlgorithm = keyof typeof TOTP_ALGORITHMS;

export interface TotpParams {
  algorithm: TotpAlgorithm;
  digits: 6 | 8;
  period: number;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (as otpauth URIs carry secrets). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (case-insensitive, padding optional); throws InvalidRequest on bad input. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/=+$/, '');
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v < 0) throw new InvalidRequest('invalid key value: not base32');
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits >= 5) throw new InvalidRequest('invalid key value: not base32');
  return Buffer.from(out);
}

/** RFC 4226 section 5.3: HMAC of the 8-byte big-endian counter, dynamic truncation. */
export function hotp(key: Uint8Array, counter: bigint, digits: number, algorithm: TotpAlgorithm): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac(TOTP_ALGORITHMS[algorithm], key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export function timeStep(unixSeconds: number, period: number): bigint {
  return BigInt(Math.floor(unixSeconds / period));
}

/** RFC 6238: the code for the time step containing `unixSeconds`. */
export function totp(key: Uint8Array, unixSeconds: number, params: TotpParams): string {
  return hotp(key, timeStep(unixSeconds, params.period), params.digits, params.algorithm);
}

/** True when `code` matches the current step or one within `skew` steps either side. */
export function validateTotp(key: Uint8Array, code: string, unixSeconds: number, params: TotpParams, skew: number): boolean {
  if (code.length !== params.digits || !/^[0-9]+$/.test(code)) return false;
  const step = timeStep(unixSeconds, params.period);
  const given = Buffer.from(code);
  let ok = false;
  for (let d = -skew; d <= skew; d++) {
    const counter = step + BigInt(d);
    if (counter < 0n) continue;
    const expected = Buffer.from(hotp(key, counter, params.digits, params.algorithm));
    if (timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}

export interface OtpauthKey {
  issuer: string;
  accountName: string;
  secret: string;
  period?: number;
  digits?: number;
  algorithm?: string;
}

/** otpauth://totp/Issuer:account?algorithm=…&digits=…&issuer=…&period=…&secret=… (sorted, as Vault). */
export function otpauthUrl(key: { issuer: string; accountName: string; secret: string } & TotpParams): string {
  const query = new URLSearchParams();
  query.set('algorithm', key.algorithm);
  query.set('digits', String(key.digits));
  query.set('issuer', key.issuer);
  query.set('period', String(key.period));
  query.set('secret', key.secret);
  const escape = (part: string) => encodeURIComponent(part).replace(/%40/g, '@');
  return `otpauth://totp/${escape(key.issuer)}:${escape(key.accountName)}?${query.toString()}`;
}

/** Reads an otpauth URL the way Vault does: issuer from the query, else the label prefix. */
export function parseOtpauthUrl(text: string): OtpauthKey {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidRequest('an error occurred while parsing url string');
  }
  if (url.protocol !== 'otpauth:') throw new InvalidRequest('an error occurred while parsing url string');
  // With a non-special scheme, WHATWG puts "totp" in host and the label in pathname.
  let label: string;
  try {
    label = decodeURIComponent(url.pathname.replace(/^\//, ''));
  } catch {
    throw new InvalidRequest('an error occurred while parsing url string');
  }
  const colon = label.indexOf(':');
  const q = url.searchParams;
  const numberParam = (name: string): number | undefined => {
    const raw = q.get(name);
    if (raw === null || raw === '') return undefined;
    if (!/^-?[0-9]+$/.test(raw)) throw new InvalidRequest(`an error occurred while parsing ${name} value in url`);
    return Number(raw);
  };
  return {
    issuer: q.get('issuer') || (colon >= 0 ? label.slice(0, colon) : ''),
    accountName: colon >= 0 ? label.slice(colon + 1) : label,
    secret: q.get('secret') ?? '',
    period: numberParam('period'),
    digits: numberParam('digits'),
    algorithm: q.get('algorithm') || undefined,
  };
}
