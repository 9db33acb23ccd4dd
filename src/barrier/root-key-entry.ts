/**
 * Plaintext of `core/root-key` (the root key encrypted with the active keyring term, so a
 * standby that follows the keyring can also follow root-key changes):
 *
 *   offset 0  format version  1 byte  (0x01)
 *   offset 1  root key        32 bytes
 */
import { StorageError } from '../errors.js';
import { AES_256_KEY_LENGTH } from '../crypto/aead.js';

export const ROOT_KEY_ENTRY_VERSION = 0x01;

export function encodeRootKeyEntry(rootKey: Uint8Array): Buffer {
  if (rootKey.length !== AES_256_KEY_LENGTH) throw new StorageError('root key must be 32 bytes');
  const out = Buffer.alloc(1 + AES_256_KEY_LENGTH);
  out[0] = ROOT_KEY_ENTRY_VERSION;
  out.set(rootKey, 1);
  return out;
}

export function decodeRootKeyEntry(bytes: Uint8Array): Buffer {
  if (bytes.length !== 1 + AES_256_KEY_LENGTH || bytes[0] !== ROOT_KEY_ENTRY_VERSION) {
    throw new StorageError('stored root key entry is malformed');
  }
  return Buffer.from(bytes.subarray(1));
}
