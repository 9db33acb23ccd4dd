/**
 * The Shamir seal (Vault ≥ 1.3 design): unseal shares combine to a 32-byte key-encryption key
 * (KEK) that exists only in memory; it AES-256-GCM-wraps the root key stored at
 * `core/hsm/barrier-unseal-keys`. `setUnsealKey` installs the combined KEK (a copy), and
 * `clearUnsealKey` zeroes it. Without a KEK the wrapper is unavailable (SealedError).
 */
import { InvalidRequest, IntegrityError, SealedError } from '../errors.js';
import { AES_256_KEY_LENGTH, aeadOpen, aeadSeal, GCM_NONCE_LENGTH } from '../crypto/aead.js';
import type { Seal, SealWrapper } from './types.js';
import { decodeWrapperBlob, encodeWrapperBlob, WRAPPER_MECHANISMS } from './wrapper-blob.js';

export const SHAMIR_KEY_ID = 'shamir';

export type ShamirSeal = Seal & {
  setUnsealKey(kek: Uint8Array): void;
  clearUnsealKey(): void;
};

export function createShamirSeal(): ShamirSeal {
  let kek: Buffer | undefined;

  const currentKey = (): Buffer => {
    if (kek === undefined) throw new SealedError();
    return kek;
  };

  const clearUnsealKey = (): void => {
    kek?.fill(0);
    kek = undefined;
  };

  const wrapper: SealWrapper = {
    async encrypt(plaintext, aad) {
      const { nonce, ciphertext } = aeadSeal(currentKey(), plaintext, aad);
      return encodeWrapperBlob({
        keyId: SHAMIR_KEY_ID,
        mechanism: WRAPPER_MECHANISMS.aes256Gcm,
        iv: nonce,
        wrappedKey: Buffer.alloc(0),
        ciphertext,
      });
    },
    async decrypt(bytes, aad) {
      const key = currentKey();
      const blob = decodeWrapperBlob(bytes);
      if (
        blob.keyId !== SHAMIR_KEY_ID || blob.mechanism !== WRAPPER_MECHANISMS.aes256Gcm ||
        blob.iv.length !== GCM_NONCE_LENGTH || blob.wrappedKey.length !== 0
      ) {
        throw new IntegrityError();
      }
      return aeadOpen(key, blob.iv, blob.ciphertext, aad);
    },
  };

  return {
    type: 'shamir',
    autoUnseal: false,
    async init() {},
    wrapper() {
      currentKey();
      return wrapper;
    },
    setUnsealKey(key: Uint8Array) {
      if (!(key instanceof Uint8Array) || key.length !== AES_256_KEY_LENGTH) {
        throw new InvalidRequest('unseal key must be 32 bytes');
      }
      clearUnsealKey();
      kek = Buffer.from(key);
    },
    clearUnsealKey,
    async close() {
      clearUnsealKey();
    },
  };
}
