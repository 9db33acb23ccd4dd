/** HKDF-SHA256 (RFC 5869) from node:crypto, returning a Buffer. */
import { hkdfSync } from 'node:crypto';
import { ArcaError } from '../errors.js';

/** Largest output RFC 5869 allows for SHA-256: 255 blocks of 32 bytes. */
export const HKDF_SHA256_MAX_LENGTH = 255 * 32;

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Buffer {
  if (!Number.isInteger(length) || length < 1 || length > HKDF_SHA256_MAX_LENGTH) {
    throw new ArcaError('HKDF-SHA256 output length out of range');
  }
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}
