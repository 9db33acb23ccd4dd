/**
 * The stored lease entry (a permanent byte contract: versioned JSON under `sys/expire/id/<lease id>`).
 * Times are unix milliseconds. A lease is either a secret from a backend or a token's own lease
 * (so an expiring token is revoked on time).
 */
import { IntegrityError } from '../../errors.js';

export const LEASE_ENTRY_VERSION = 1;

export type LeaseKind = 'secret' | 'token';

export interface LeaseEntry {
  v: number;
  leaseId: string;
  kind: LeaseKind;
  /** The request path that created it (lease id minus the random suffix). */
  path: string;
  /** Accessor of the mount whose backend revokes it ('' for token leases). */
  mountAccessor: string;
  /** Name in the backend's `secrets` table ('' for token leases). */
  secretType: string;
  /** Backend-private data handed back on renew/revoke. */
  internal: Record<string, unknown>;
  renewable: boolean;
  /** Last granted TTL in seconds. */
  ttl: number;
  /** Backend-requested max TTL in seconds, 0 = none. */
  maxTtl: number;
  issueTime: number;
  /** The lease is never extended past this (issue time + effective max TTL at issue). */
  maxExpireTime: number;
  /** 0 only for token leases of tokens that never expire (never stored). */
  expireTime: number;
  /** 0 = never renewed. */
  lastRenewalTime: number;
  /** Salted hash of the token that created the lease ('' when none); for a token lease, the token itself. */
  tokenHash: string;
  /** Failed revocation attempts so far; 0 = none. */
  revokeAttempts: number;
  /** When the next revocation attempt is due (0 = at expireTime). */
  nextRetryTime: number;
  /** Last revocation failure, without secret values. */
  revokeError?: string;
}

export function encodeLease(entry: LeaseEntry): Buffer {
  return Buffer.from(JSON.stringify(entry));
}

export function decodeLease(raw: Buffer): LeaseEntry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new IntegrityError('lease entry is not valid JSON');
  }
  const entry = parsed as Partial<LeaseEntry>;
  if (!entry || typeof entry !== 'object' || entry.v !== LEASE_ENTRY_VERSION || typeof entry.leaseId !== 'string') {
    throw new IntegrityError('unsupported lease entry version');
  }
  return {
    ...(entry as LeaseEntry),
    internal: entry.internal ?? {},
    revokeAttempts: entry.revokeAttempts ?? 0,
    nextRetryTime: entry.nextRetryTime ?? 0,
  };
}

/** When the manager should next act on this lease: its expiry, or its next retry after a failure. */
export function dueTime(entry: LeaseEntry): number {
  return entry.revokeAttempts > 0 ? Math.max(entry.nextRetryTime, 0) : entry.expireTime;
}
