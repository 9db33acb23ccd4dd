/**
 * Batch tokens: not persisted. The token itself is `hvb.` + base64url of an AES-256-GCM blob
 * holding the entry. Byte layout (version 1, a permanent contract):
 *
 *   [0]      format version (1)
 *   [1..13)  GCM nonce (12 bytes, random)
 *   [13..-16) ciphertext of the JSON payload below
 *   [-16..]  GCM tag
 *
 * Additional data: the ASCII prefix `hvb.` followed by the version byte.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BATCH_TOKEN_PREFIX } from './ids.js';

export const BATCH_FORMAT_VERSION = 1;
export const BATCH_KEY_LENGTH = 32;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const HEADER_LENGTH = 1 + NONCE_LENGTH;

/** What a batch token carries (JSON inside the ciphertext). */
export interface BatchPayload {
  v: number;
  /** hashedId of the parent service token, "" for orphans. */
  parent: string;
  policies: string[];
  path: string;
  meta: Record<string, string>;
  displayName: string;
  creationTime: number;
  ttl: number;
  entityId: string;
  boundCidrs: string[];
  noDefaultPolicy?: boolean;
  role?: string;
  authMount?: string;
}

function aad(version: number): Buffer {
  return Buffer.concat([Buffer.from(BATCH_TOKEN_PREFIX, 'ascii'), Buffer.from([version])]);
}

export function isBatchToken(id: string): boolean {
  return id.startsWith(BATCH_TOKEN_PREFIX);
}

export function encodeBatchToken(key: Uint8Array, payload: BatchPayload): string {
  if (key.length !== BATCH_KEY_LENGTH) throw new Error('batch token key must be 32 bytes');
  const nonce = randomBytes(NONCE_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad(BATCH_FORMAT_VERSION));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  const blob = Buffer.concat([Buffer.from([BATCH_FORMAT_VERSION]), nonce, ciphertext, cipher.getAuthTag()]);
  return BATCH_TOKEN_PREFIX + blob.toString('base64url');
}

/** The payload, or undefined for anything that does not decrypt (no oracle about why). */
export function decodeBatchToken(key: Uint8Array, id: string): BatchPayload | undefined {
  if (!isBatchToken(id)) return undefined;
  const body = id.slice(BATCH_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return undefined;
  const blob = Buffer.from(body, 'base64url');
  if (blob.length < HEADER_LENGTH + TAG_LENGTH + 2) return undefined;
  const version = blob[0];
  if (version !== BATCH_FORMAT_VERSION) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, HEADER_LENGTH));
    decipher.setAAD(aad(version));
    decipher.setAuthTag(blob.subarray(blob.length - TAG_LENGTH));
    const plain = Buffer.concat([decipher.update(blob.subarray(HEADER_LENGTH, blob.length - TAG_LENGTH)), decipher.final()]);
    const payload = JSON.parse(plain.toString('utf8')) as BatchPayload;
    return payload.v === 1 ? payload : undefined;
  } catch {
    return undefined; // authentication failure: the token is simply not valid
  }
}
