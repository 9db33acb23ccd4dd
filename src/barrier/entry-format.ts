/**
 * The barrier entry: the bytes physical storage holds for every barrier value.
 *
 *   offset 0   term       uint32 big-endian  keyring term whose key encrypted it (0 = the root key)
 *   offset 4   version    1 byte             0x2: the storage path is the AES-GCM additional data
 *   offset 5   nonce      12 bytes           random, per entry
 *   offset 17  ciphertext n bytes + 16-byte GCM tag
 *
 * This is Vault's layout. Version 0x1 (Vault's, no additional data) is deliberately not
 * accepted: Arca never wrote it, and accepting it would let an entry be moved between paths.
 * A new version must be added here, never by changing the meaning of an existing one.
 * Every length is checked before any cryptography; a malformed blob is an IntegrityError.
 */
import { IntegrityError } from '../errors.js';
import { GCM_NONCE_LENGTH, GCM_TAG_LENGTH } from '../crypto/aead.js';

export const ENTRY_VERSION_PATH_AAD = 0x2;
export const ENTRY_TERM_LENGTH = 4;
export const ENTRY_HEADER_LENGTH = ENTRY_TERM_LENGTH + 1 + GCM_NONCE_LENGTH;
export const ENTRY_MIN_LENGTH = ENTRY_HEADER_LENGTH + GCM_TAG_LENGTH;
/** Term number that marks a blob encrypted with the root key (the keyring itself). */
export const ROOT_KEY_TERM = 0;
export const MAX_TERM = 0xffffffff;

const KNOWN_VERSIONS: ReadonlySet<number> = new Set([ENTRY_VERSION_PATH_AAD]);

export interface BarrierEntry {
  term: number;
  version: number;
  nonce: Buffer;
  /** Ciphertext followed by the GCM tag. */
  ciphertext: Buffer;
}

export function encodeEntry(entry: BarrierEntry): Buffer {
  if (!Number.isInteger(entry.term) || entry.term < 0 || entry.term > MAX_TERM) throw new RangeError('term out of range');
  if (!KNOWN_VERSIONS.has(entry.version)) throw new RangeError('unknown barrier entry version');
  if (entry.nonce.length !== GCM_NONCE_LENGTH) throw new RangeError('nonce must be 12 bytes');
  if (entry.ciphertext.length < GCM_TAG_LENGTH) throw new RangeError('ciphertext shorter than the tag');
  const out = Buffer.alloc(ENTRY_HEADER_LENGTH + entry.ciphertext.length);
  out.writeUInt32BE(entry.term, 0);
  out[ENTRY_TERM_LENGTH] = entry.version;
  entry.nonce.copy(out, ENTRY_TERM_LENGTH + 1);
  entry.ciphertext.copy(out, ENTRY_HEADER_LENGTH);
  return out;
}

/** Splits a stored blob into its fields. The returned buffers are views into `blob`. */
export function decodeEntry(blob: Uint8Array): BarrierEntry {
  if (!(blob instanceof Uint8Array) || blob.length < ENTRY_MIN_LENGTH) throw new IntegrityError();
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const version = buf[ENTRY_TERM_LENGTH];
  if (!KNOWN_VERSIONS.has(version)) throw new IntegrityError();
  return {
    term: buf.readUInt32BE(0),
    version,
    nonce: buf.subarray(ENTRY_TERM_LENGTH + 1, ENTRY_HEADER_LENGTH),
    ciphertext: buf.subarray(ENTRY_HEADER_LENGTH),
  };
}
