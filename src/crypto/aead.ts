/**
 * AES-256-GCM with a 12-byte random nonce and optional additional authenticated data.
 * `aeadSeal` picks the nonce itself so no caller can reuse one; `aeadOpen` fails with one
 * generic IntegrityError whatever went wrong (wrong key, flipped byte, wrong AAD, truncation).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { ArcaError, IntegrityError } from '../errors.js';
import { pooledRandomBytes } from './random-pool.js';

export const AES_256_KEY_LENGTH = 32;
export const GCM_NONCE_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;

export interface AeadSealed {
  nonce: Buffer;
  /** Ciphertext followed by the 16-byte tag. */
  ciphertext: Buffer;
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== AES_256_KEY_LENGTH) {
    throw new ArcaError('AES-256-GCM key must be 32 bytes');
  }
}

/** Encrypts with a fresh random nonce (from `nonceSource`, default the system CSPRNG through its pool). */
export function aeadSeal(
  key: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
  nonceSource: (n: number) => Buffer = pooledRandomBytes,
): AeadSealed {
  checkKey(key);
  const nonce = nonceSource(GCM_NONCE_LENGTH);
  if (nonce.length !== GCM_NONCE_LENGTH) throw new ArcaError('nonce source returned the wrong length');
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
  if (aad !== undefined) cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext: Buffer.concat([body, cipher.getAuthTag()]) };
}

/** Decrypts `ciphertext` (body followed by tag). Any failure is the same IntegrityError. */
export function aeadOpen(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array): Buffer {
  if (
    !(key instanceof Uint8Array) || key.length !== AES_256_KEY_LENGTH ||
    nonce.length !== GCM_NONCE_LENGTH || ciphertext.length < GCM_TAG_LENGTH
  ) {
    throw new IntegrityError();
  }
  const bodyLength = ciphertext.length - GCM_TAG_LENGTH;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
    decipher.setAuthTag(ciphertext.subarray(bodyLength));
    if (aad !== undefined) decipher.setAAD(aad);
    return Buffer.concat([decipher.update(ciphertext.subarray(0, bodyLength)), decipher.final()]);
  } catch {
    throw new IntegrityError();
  }
}
