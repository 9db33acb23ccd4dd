/**
 * Audit HMACs as Vault writes them: HMAC-SHA256 keyed by the device's salt, rendered
 * `hmac-sha256:<lowercase hex>`. Data maps are walked recursively and only string values are
 * replaced (keys, numbers, booleans and nulls pass through), except under keys the mount lists
 * in `audit_non_hmac_request_keys` / `audit_non_hmac_response_keys`.
 */
import { createHmac, createSecretKey } from 'node:crypto';

export const HMAC_PREFIX = 'hmac-sha256:';

export type Hasher = (value: string) => string;

export function createHasher(salt: Uint8Array): Hasher {
  // One key object for every HMAC (not a key import per call).
  const key = createSecretKey(salt);
  const hmac = (value: string) => HMAC_PREFIX + createHmac('sha256', key).update(value, 'utf8').digest('hex');
  // Empty strings are common in data (unset fields): their HMAC is computed once.
  const empty = hmac('');
  return (value) => (value === '' ? empty : hmac(value));
}

/** A deep copy of `value` with every string replaced by its HMAC. */
export function hashValue(value: unknown, hash: Hasher, skipKeys: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return hash(value);
  if (Array.isArray(value)) return value.map((v) => hashValue(v, hash, skipKeys));
  if (Buffer.isBuffer(value)) return hash(value.toString('base64'));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = skipKeys.has(k) ? v : hashValue(v, hash, skipKeys);
    }
    return out;
  }
  return value;
}

export const NO_KEYS: ReadonlySet<string> = new Set();
