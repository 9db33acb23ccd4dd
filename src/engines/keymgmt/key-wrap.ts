/**
 * AES key wrap with padding (RFC 5649) through OpenSSL (`id-aes<bits>-wrap-pad`, alternative
 * initial value A65959A6), and the hybrid "RSA-OAEP then AES-KWP" envelope that Cloud KMS key
 * import (RSA_OAEP_*_SHA256_AES_256) and PKCS#11's CKM_RSA_AES_KEY_WRAP use: a fresh AES-256
 * key encrypted to the wrapping public key, followed by the target key wrapped with it.
 */
import { constants, createCipheriv, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';

const KWP_IV = Buffer.from('A65959A6', 'hex');
const KWP_CIPHERS: Readonly<Record<number, string>> = { 16: 'id-aes128-wrap-pad', 24: 'id-aes192-wrap-pad', 32: 'id-aes256-wrap-pad' };

export function aesKeyWrapPad(kek: Buffer, plaintext: Buffer): Buffer {
  const cipher = KWP_CIPHERS[kek.length];
  if (!cipher) throw new RangeError('AES key wrap needs a 128, 192 or 256-bit key');
  const c = createCipheriv(cipher, kek, KWP_IV);
  return Buffer.concat([c.update(plaintext), c.final()]);
}

export function rsaAesKeyWrap(wrappingKey: KeyObject, target: Buffer, oaepHash: 'sha1' | 'sha256'): Buffer {
  const ephemeral = randomBytes(32);
  try {
    const head = publicEncrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ephemeral);
    return Buffer.concat([head, aesKeyWrapPad(ephemeral, target)]);
  } finally {
    ephemeral.fill(0);
  }
}
