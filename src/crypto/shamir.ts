/**
 * Shamir secret sharing over GF(2^8) (AES field, 0x11B), wrapping the audited
 * `shamir-secret-sharing` package. Share layout is Vault's: the y bytes, then the
 * x-coordinate as the last byte (share length = secret length + 1).
 *
 * Added on top of the package, as Vault does:
 * - `secret_shares = 1`: the single share is the secret itself (no split, no x byte);
 *   `combineShares` with exactly one share returns it unchanged.
 * - Vault's seal-config validation messages (`validateShareConfig`).
 * - Typed errors: every bad input is an InvalidRequest whose message names no value.
 *
 * The combined secret carries no integrity check: callers verify it (the Shamir seal does, by
 * AEAD-opening the stored root key with it).
 */
import { combine, split } from 'shamir-secret-sharing';
import { InvalidRequest } from '../errors.js';

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

/** The package checks `constructor === Uint8Array`, so Buffers are copied into plain arrays. */
function plain(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

export async function splitSecret(secret: Uint8Array, shares: number, threshold: number): Promise<Uint8Array[]> {
  validateShareConfig(shares, threshold);
  if (!(secret instanceof Uint8Array) || secret.length === 0) throw new InvalidRequest('secret cannot be empty');
  if (shares === 1) return [plain(secret)];
  const input = plain(secret);
  try {
    return await split(input, shares, threshold);
  } finally {
    input.fill(0);
  }
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
  const copies = shares.map(plain);
  try {
    return await combine(copies);
  } finally {
    for (const c of copies) c.fill(0);
  }
}
