/**
 * Small random values for per-request work (AEAD nonces, token ids, accessors, lease ids): a
 * call into the CSPRNG costs microseconds whatever its size, so small draws are served from a
 * buffer refilled from it 4 KiB at a time (as node's own randomUUID does). Each byte is handed
 * out once, and zeroed in the buffer as it is.
 */
import { randomBytes, randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
/** Larger draws go straight to the CSPRNG: buffering them saves nothing. */
const MAX_POOLED = 256;

const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `n` bytes from the CSPRNG, in a buffer of their own. */
export function pooledRandomBytes(n: number): Buffer {
  if (n > MAX_POOLED) return randomBytes(n);
  if (offset + n > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.allocUnsafe(n);
  pool.copy(out, 0, offset, offset + n);
  pool.fill(0, offset, offset + n);
  offset += n;
  return out;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Uniformly random base62 characters (bytes of 248 and above are rejected: 248 = 62 × 4). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const bytes = pooledRandomBytes(length - out.length + 8);
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      if (bytes[i] < 248) out += BASE62[bytes[i] % 62];
    }
    bytes.fill(0);
  }
  return out;
}
