/**
 * Shamir secret sharing over GF(2^8) (AES field, 0x11B) in Vault's share layout: the y bytes,
 * then the x-coordinate as the last byte (share length = secret length + 1).
 *
 * The arithmetic is our own constant-time GF(2^8) (gf256.ts), not the `shamir-secret-sharing`
 * package: that package multiplies through log/exp tables indexed by secret-dependent bytes,
 * the timing leak of Vault's 2023 advisory. The package stays as the reference the tests
 * check interoperability against, both ways.
 *
 * As Vault does:
 * - `secret_shares = 1`: the single share is the secret itself (no split, no x byte);
 *   `combineShares` with exactly one share returns it unchanged.
 * - Vault's seal-config validation messages (`validateShareConfig`).
 * - Typed errors: every bad input is an InvalidRequest whose message names no value.
 *
 * The combined secret carries no integrity check: callers verify it (the Shamir seal does, by
 * AEAD-opening the stored root key with it).
 */
import { randomBytes } from 'node:crypto';
import { InvalidRequest } from '../errors.js';
import { gfDiv, gfEvaluate, gfMul } from './gf256.js';

export const MAX_SHARES = 255;

/** Vault's SealConfig.Validate rules for secret_shares / secret_threshold, in Vault's order. */
export function validateShareConfig(shares: number, threshold: number): void {
  if (!Number.isInteger(shares)) throw new InvalidRequest('shares must be an integer');
  if (!Number.isInteger(threshold)) throw new InvalidRequest('threshold must be an integer');
  if (shares < 1) throw new InvalidRequest('shares must be at least one');
  if (threshold < 1) throw new InvalidRequest('threshold must be at least one');
  if (shares > 1 && threshold === 1) throw new InvalidRequest('threshold must be greater than one for multiple shares');
  if (shares > MAX_SHARES) throw new InvalidRequest('shares must be less than 256');
  if (threshold > MAX_SHARES) throw new InvalidRequest('threshold must be less than 256');
  if (threshold > shares) throw new InvalidRequest('threshold cannot be larger than shares');
}

/** A private copy as a plain Uint8Array (callers zero their own buffers). */
function plain(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

export async function splitSecret(secret: Uint8Array, shares: number, threshold: number): Promise<Uint8Array[]> {
  validateShareConfig(shares, threshold);
  if (!(secret instanceof Uint8Array) || secret.length === 0) throw new InvalidRequest('secret cannot be empty');
  if (shares === 1) return [plain(secret)];
  const xs = distinctXCoordinates(shares);
  const out = xs.map((x) => {
    const share = new Uint8Array(secret.length + 1);
    share[secret.length] = x;
    return share;
  });
  const coefficients = new Uint8Array(threshold);
  try {
    for (let i = 0; i < secret.length; i++) {
      coefficients[0] = secret[i];
      coefficients.set(randomBytes(threshold - 1), 1);
      for (const share of out) share[i] = gfEvaluate(coefficients, share[secret.length]);
    }
  } finally {
    coefficients.fill(0);
  }
  return out;
}

/** `count` distinct x-coordinates from 1..255 in random order (Vault uses a random permutation). */
function distinctXCoordinates(count: number): number[] {
  const pool = Array.from({ length: 255 }, (_, i) => i + 1);
  const random = randomBytes(pool.length * 2);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = random.readUInt16BE(i * 2) % (i + 1); // x-coordinates are public; slight bias is harmless
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

/** Lagrange interpolation at x = 0, byte by byte, in constant time per byte. */
function interpolateAtZero(shares: readonly Uint8Array[], length: number): Uint8Array {
  const xs = shares.map((s) => s[length]);
  const basis = xs.map((xi, i) => {
    let numerator = 1;
    let denominator = 1;
    xs.forEach((xj, j) => {
      if (j === i) return;
      numerator = gfMul(numerator, xj);
      denominator = gfMul(denominator, xi ^ xj);
    });
    return gfDiv(numerator, denominator);
  });
  const secret = new Uint8Array(length);
  for (let byte = 0; byte < length; byte++) {
    let value = 0;
    shares.forEach((share, i) => { value ^= gfMul(share[byte], basis[i]); });
    secret[byte] = value;
  }
  return secret;
}

export async function combineShares(shares: readonly Uint8Array[]): Promise<Uint8Array> {
  if (!Array.isArray(shares) || shares.length === 0) throw new InvalidRequest('at least one share is required');
  if (shares.length > MAX_SHARES) throw new InvalidRequest('too many shares');
  for (const share of shares) {
    if (!(share instanceof Uint8Array)) throw new InvalidRequest('each share must be bytes');
  }
  if (shares.length === 1) return plain(shares[0]);
  const length = shares[0].length;
  if (length < 2) throw new InvalidRequest('share is too short');
  const seen = new Set<number>();
  for (const share of shares) {
    if (share.length !== length) throw new InvalidRequest('all shares must have the same length');
    const x = share[length - 1];
    if (x === 0) throw new InvalidRequest('share is invalid');
    if (seen.has(x)) throw new InvalidRequest('duplicate share detected');
    seen.add(x);
  }
  return interpolateAtZero(shares, length - 1);
}
