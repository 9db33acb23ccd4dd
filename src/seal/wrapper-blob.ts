/**
 * The seal wrapper blob: what every seal's `SealWrapper.encrypt` returns and what is stored at
 * `core/hsm/barrier-unseal-keys`, `core/recovery-key` and in seal-wrapped entries.
 *
 *   offset 0  version             u8        0x01
 *   offset 1  key id length       u16 BE    0..65535
 *   offset 3  key id              UTF-8     which key made it ("shamir", "<label>:<id>", a KMS key version, ...)
 *             mechanism           u32 BE    see WRAPPER_MECHANISMS (u32 so PKCS#11 CKM_* values fit)
 *             iv length           u8        0..255 (GCM: 12; 0 when the mechanism has none)
 *             iv                  bytes
 *             wrapped key length  u16 BE    0 unless envelope encryption: the KMS/HSM-wrapped data key
 *             wrapped key         bytes
 *             ciphertext          rest      at least 1 byte (for GCM: ciphertext followed by the tag)
 *
 * The IV is always stored split from the ciphertext (OpenBao once changed this for its PKCS#11
 * blob and existing clusters could not auto-unseal). A new layout is a new version byte, decoded
 * beside this one; version 0x01 never changes meaning. Every length is checked before any
 * cryptography; a malformed blob is the one generic IntegrityError.
 */
import { IntegrityError } from '../errors.js';

export const WRAPPER_BLOB_VERSION = 0x01;

/** Mechanism numbers. Local AES-256-GCM is ours; HSM seals record their CKM_* value. */
export const WRAPPER_MECHANISMS = Object.freeze({
  /** AES-256-GCM done in-process with a 32-byte key (Shamir KEK; envelope data keys). */
  aes256Gcm: 0x0000_0001,
});

export interface WrapperBlob {
  keyId: string;
  mechanism: number;
  iv: Buffer;
  /** Empty unless the seal uses envelope encryption. */
  wrappedKey: Buffer;
  ciphertext: Buffer;
}

const MAX_U8 = 0xff;
const MAX_U16 = 0xffff;
const MAX_U32 = 0xffff_ffff;

export function encodeWrapperBlob(blob: WrapperBlob): Buffer {
  const keyId = Buffer.from(blob.keyId, 'utf8');
  if (keyId.length > MAX_U16) throw new RangeError('seal key id too long');
  if (!Number.isInteger(blob.mechanism) || blob.mechanism < 0 || blob.mechanism > MAX_U32) throw new RangeError('seal mechanism out of range');
  if (blob.iv.length > MAX_U8) throw new RangeError('seal iv too long');
  if (blob.wrappedKey.length > MAX_U16) throw new RangeError('seal wrapped key too long');
  if (blob.ciphertext.length === 0) throw new RangeError('seal ciphertext is empty');
  const out = Buffer.alloc(1 + 2 + keyId.length + 4 + 1 + blob.iv.length + 2 + blob.wrappedKey.length + blob.ciphertext.length);
  let at = 0;
  out[at++] = WRAPPER_BLOB_VERSION;
  at = out.writeUInt16BE(keyId.length, at);
  at += keyId.copy(out, at);
  at = out.writeUInt32BE(blob.mechanism, at);
  out[at++] = blob.iv.length;
  at += blob.iv.copy(out, at);
  at = out.writeUInt16BE(blob.wrappedKey.length, at);
  at += blob.wrappedKey.copy(out, at);
  blob.ciphertext.copy(out, at);
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a blob. The returned buffers are views into `bytes`. */
export function decodeWrapperBlob(bytes: Uint8Array): WrapperBlob {
  if (!(bytes instanceof Uint8Array)) throw new IntegrityError();
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number) => {
    if (buf.length - at < n) throw new IntegrityError();
  };
  need(1);
  if (buf[at++] !== WRAPPER_BLOB_VERSION) throw new IntegrityError();
  need(2);
  const keyIdLength = buf.readUInt16BE(at);
  at += 2;
  need(keyIdLength);
  let keyId: string;
  try {
    keyId = utf8.decode(buf.subarray(at, at + keyIdLength));
  } catch {
    throw new IntegrityError();
  }
  at += keyIdLength;
  need(4);
  const mechanism = buf.readUInt32BE(at);
  at += 4;
  need(1);
  const ivLength = buf[at++];
  need(ivLength);
  const iv = buf.subarray(at, at + ivLength);
  at += ivLength;
  need(2);
  const wrappedKeyLength = buf.readUInt16BE(at);
  at += 2;
  need(wrappedKeyLength);
  const wrappedKey = buf.subarray(at, at + wrappedKeyLength);
  at += wrappedKeyLength;
  need(1);
  return { keyId, mechanism, iv, wrappedKey, ciphertext: buf.subarray(at) };
}
