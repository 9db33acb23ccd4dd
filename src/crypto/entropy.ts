/**
 * Where key material comes from. Without `augment` this is the system CSPRNG. With `augment`
 * (an HSM's C_GenerateRandom, a KMS GenerateRandom: Vault's entropy augmentation) every request
 * takes n bytes from the system and n bytes from the external source and mixes them with
 * HKDF-SHA256, so the output is as strong as the better of the two. If the external source
 * fails or answers short, the request fails with UpstreamError: augmentation was configured,
 * so silently falling back to system entropy alone would break the operator's expectation.
 */
import { randomBytes as systemRandomBytes } from 'node:crypto';
import { ArcaError, UpstreamError } from '../errors.js';
import { HKDF_SHA256_MAX_LENGTH, hkdfSha256 } from './hkdf.js';

export interface EntropySource {
  randomBytes(n: number): Promise<Buffer>;
}

/** HKDF salt and info labels: part of the construction, changing them changes every output. */
export const ENTROPY_MIX_SALT = Buffer.from('arca entropy augmentation salt v1', 'utf8');
export const ENTROPY_MIX_INFO = Buffer.from('arca entropy augmentation v1', 'utf8');

/**
 * The mixing step: HKDF-SHA256(ikm = system || external, salt, info = label || uint32 block)
 * in blocks of at most 8160 bytes (the RFC 5869 limit for SHA-256).
 */
export function mixEntropy(system: Uint8Array, external: Uint8Array, length: number): Buffer {
  const ikm = Buffer.concat([system, external]);
  try {
    const out = Buffer.alloc(length);
    for (let offset = 0, block = 0; offset < length; offset += HKDF_SHA256_MAX_LENGTH, block++) {
      const info = Buffer.alloc(ENTROPY_MIX_INFO.length + 4);
      ENTROPY_MIX_INFO.copy(info);
      info.writeUInt32BE(block, ENTROPY_MIX_INFO.length);
      const part = hkdfSha256(ikm, ENTROPY_MIX_SALT, info, Math.min(HKDF_SHA256_MAX_LENGTH, length - offset));
      part.copy(out, offset);
      part.fill(0);
    }
    return out;
  } finally {
    ikm.fill(0);
  }
}

export function createEntropySource(
  augment?: (n: number) => Promise<Uint8Array>,
  deps: { system?: (n: number) => Buffer } = {},
): EntropySource {
  const system = deps.system ?? systemRandomBytes;
  return {
    async randomBytes(n: number): Promise<Buffer> {
      if (!Number.isInteger(n) || n < 1) throw new ArcaError('random byte count must be a positive integer');
      if (augment === undefined) return system(n);
      let external: Uint8Array;
      try {
        external = await augment(n);
      } catch (err) {
        throw new UpstreamError('entropy augmentation source failed', { cause: err });
      }
      if (!(external instanceof Uint8Array) || external.length !== n) {
        throw new UpstreamError('entropy augmentation source returned the wrong number of bytes');
      }
      const local = system(n);
      try {
        return mixEntropy(local, external, n);
      } finally {
        local.fill(0);
        external.fill(0);
      }
    },
  };
}
