/** Constant-time comparison of secrets. Only the lengths may leak, never where bytes differ. */
import { timingSafeEqual } from 'node:crypto';

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    // timingSafeEqual throws on unequal lengths; still spend comparable work, then answer false.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
