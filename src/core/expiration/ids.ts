/** Lease ids: `<request path>/<24 base62 characters>`, as Vault builds them. */
import { createHash } from 'node:crypto';
import { randomBase62 as base62 } from '../../crypto/random-pool.js';

export const LEASE_RANDOM_LENGTH = 24;

export function randomBase62(length = LEASE_RANDOM_LENGTH): string {
  return base62(length);
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
