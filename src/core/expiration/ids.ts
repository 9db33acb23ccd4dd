/** Lease ids: `<request path>/<24 base62 characters>`, as Vault builds them. */
import { createHash, randomBytes } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const LEASE_RANDOM_LENGTH = 24;

export function randomBase62(length = LEASE_RANDOM_LENGTH): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 248) continue; // 248 = 62 * 4: reject to stay uniform
      out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function leaseIdFor(requestPath: string, random: string): string {
  const clean = requestPath.replace(/^\/+/, '').replace(/\/+$/, '');
  return `${clean}/${random}`;
}

/** One storage segment standing for a lease id in the by-token index. */
export function leaseKey(leaseId: string): string {
  return createHash('sha256').update(leaseId).digest('hex');
}

/** A lease id names an entry; prefixes and ids must not escape the lease view. */
export function isValidLeaseId(leaseId: string): boolean {
  if (leaseId === '' || leaseId.startsWith('/') || leaseId.endsWith('/')) return false;
  return !leaseId.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
}
