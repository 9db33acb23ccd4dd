/**
 * Collects key shares for a quorum ceremony (unseal, rekey, generate-root) until the threshold
 * is reached. Shares are compared in constant time; a duplicate is refused.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { InvalidRequest } from '../errors.js';

export interface ShareCollector {
  readonly nonce: string;
  readonly progress: number;
  readonly threshold: number;
  /** Adds a share; returns every share once the threshold is reached, else undefined. */
  add(share: Buffer): Buffer[] | undefined;
  reset(): void;
}

export function createShareCollector(threshold: number): ShareCollector {
  let shares: Buffer[] = [];
  let nonce = randomUUID();
  const collector: ShareCollector = {
    get nonce() { return nonce; },
    get progress() { return shares.length; },
    threshold,
    add(share) {
      const duplicate = shares.some((s) => s.length === share.length && timingSafeEqual(s, share));
      if (duplicate) throw new InvalidRequest('given key share is a duplicate');
      shares.push(Buffer.from(share));
      if (shares.length < threshold) return undefined;
      const complete = shares;
      shares = [];
      return complete;
    },
    reset() {
      for (const s of shares) s.fill(0);
      shares = [];
      nonce = randomUUID();
    },
  };
  return collector;
}

/**
 * Decodes a key share as Vault does: hex first when it decodes to 16..33 bytes,
 * otherwise base64; anything else is refused.
 */
export function decodeKeyShare(key: string): Buffer {
  const text = key.trim();
  if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) {
    const bytes = Buffer.from(text, 'hex');
    if (bytes.length >= 16 && bytes.length <= 33) return bytes;
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length > 0) return bytes;
  }
  throw new InvalidRequest("'key' must be a valid hex or base64 string");
}
