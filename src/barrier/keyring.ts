/**
 * The barrier keyring: the root key, every term's data key, and the rotation config.
 * Stored (encrypted with the root key) at `core/keyring` as UTF-8 JSON:
 *
 *   {
 *     "format_version": 1,
 *     "root_key": "<base64, 32 bytes>",
 *     "active_term": 2,
 *     "terms": [{ "term": 1, "key": "<base64, 32 bytes>", "install_time": "<RFC 3339>", "encryptions": 0 }, ...],
 *     "rotation": { "max_operations": 3865470566, "interval_ms": 0, "enabled": true }
 *   }
 *
 * format_version 1 is the only version so far; a new one must be added to `decodeKeyring`
 * beside it, never by changing what version 1 means. The JSON form briefly puts keys in
 * base64 strings while encoding/decoding (JS strings cannot be zeroed); the Buffers kept in
 * memory are zeroed by `zeroKeyring`, and the encoded bytes by the caller after encryption.
 */
import { StorageError } from '../errors.js';
import { AES_256_KEY_LENGTH } from '../crypto/aead.js';
import type { RotationConfig } from './types.js';
import { MAX_TERM } from './entry-format.js';

export const KEYRING_FORMAT_VERSION = 1;

/** Vault's default and cap: 2^32 * 0.9 encryptions per key ("10% shy of NIST"). */
export const DEFAULT_MAX_OPERATIONS = 3_865_470_566;

export const DEFAULT_ROTATION: Readonly<RotationConfig> = Object.freeze({
  maxOperations: DEFAULT_MAX_OPERATIONS,
  intervalMs: 0,
  enabled: true,
});

export interface TermKey {
  term: number;
  key: Buffer;
  installTime: Date;
  encryptions: number;
}

export interface Keyring {
  rootKey: Buffer;
  activeTerm: number;
  terms: Map<number, TermKey>;
  rotation: RotationConfig;
}

export function newKeyring(rootKey: Uint8Array, firstKey: Uint8Array, now: Date): Keyring {
  checkKeyLength(rootKey);
  checkKeyLength(firstKey);
  const term: TermKey = { term: 1, key: Buffer.from(firstKey), installTime: now, encryptions: 0 };
  return { rootKey: Buffer.from(rootKey), activeTerm: 1, terms: new Map([[1, term]]), rotation: { ...DEFAULT_ROTATION } };
}

export function activeKey(keyring: Keyring): TermKey {
  const key = keyring.terms.get(keyring.activeTerm);
  if (key === undefined) throw new StorageError('barrier keyring has no active term');
  return key;
}

/** Adds `key` as term (highest + 1) and makes it active. */
export function addTerm(keyring: Keyring, key: Uint8Array, now: Date): TermKey {
  checkKeyLength(key);
  const next = Math.max(...keyring.terms.keys()) + 1;
  if (next > MAX_TERM) throw new StorageError('barrier keyring has no terms left');
  const entry: TermKey = { term: next, key: Buffer.from(key), installTime: now, encryptions: 0 };
  keyring.terms.set(next, entry);
  keyring.activeTerm = next;
  return entry;
}

export function zeroKeyring(keyring: Keyring): void {
  keyring.rootKey.fill(0);
  for (const term of keyring.terms.values()) term.key.fill(0);
}

export function encodeKeyring(keyring: Keyring): Buffer {
  const doc = {
    format_version: KEYRING_FORMAT_VERSION,
    root_key: keyring.rootKey.toString('base64'),
    active_term: keyring.activeTerm,
    terms: [...keyring.terms.values()]
      .sort((a, b) => a.term - b.term)
      .map((t) => ({ term: t.term, key: t.key.toString('base64'), install_time: t.installTime.toISOString(), encryptions: t.encryptions })),
    rotation: {
      max_operations: keyring.rotation.maxOperations,
      interval_ms: keyring.rotation.intervalMs,
      enabled: keyring.rotation.enabled,
    },
  };
  return Buffer.from(JSON.stringify(doc), 'utf8');
}

function malformed(): StorageError {
  return new StorageError('barrier keyring is malformed');
}

function checkKeyLength(key: Uint8Array): void {
  if (key.length !== AES_256_KEY_LENGTH) throw new StorageError('barrier keys must be 32 bytes');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function decodeKey(v: unknown): Buffer {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw malformed();
  const key = Buffer.from(v, 'base64');
  if (key.length !== AES_256_KEY_LENGTH) throw malformed();
  return key;
}

function decodeCount(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw malformed();
  return v;
}

export function decodeKeyring(bytes: Uint8Array): Keyring {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!isObject(doc)) throw malformed();
  if (doc.format_version !== KEYRING_FORMAT_VERSION) {
    throw new StorageError('barrier keyring format version is not supported');
  }
  if (!Array.isArray(doc.terms) || doc.terms.length === 0 || !isObject(doc.rotation)) throw malformed();
  const terms = new Map<number, TermKey>();
  for (const t of doc.terms as unknown[]) {
    if (!isObject(t)) throw malformed();
    const term = decodeCount(t.term);
    if (term < 1 || term > MAX_TERM || terms.has(term)) throw malformed();
    if (typeof t.install_time !== 'string') throw malformed();
    const installTime = new Date(t.install_time);
    if (Number.isNaN(installTime.getTime())) throw malformed();
    terms.set(term, { term, key: decodeKey(t.key), installTime, encryptions: decodeCount(t.encryptions) });
  }
  const activeTerm = decodeCount(doc.active_term);
  if (!terms.has(activeTerm)) throw malformed();
  const r = doc.rotation;
  if (typeof r.enabled !== 'boolean') throw malformed();
  const rotation: RotationConfig = {
    maxOperations: decodeCount(r.max_operations),
    intervalMs: decodeCount(r.interval_ms),
    enabled: r.enabled,
  };
  if (rotation.maxOperations < 1) throw malformed();
  return { rootKey: decodeKey(doc.root_key), activeTerm, terms, rotation };
}
