/**
 * Lease TTL arithmetic (Vault's framework.CalculateTTL for non-periodic leases), in milliseconds
 * so that a lease with under a second left still expires instead of rounding to "no TTL".
 */
import { InvalidRequest } from '../../errors.js';

export interface TtlInput {
  now: number;
  /** Requested increment (renew) in seconds; 0 = use the backend's TTL. */
  incrementSeconds: number;
  /** TTL the backend asked for, seconds; 0 = mount default. */
  backendTtlSeconds: number;
  /** Max TTL the backend asked for, seconds; 0 = none. */
  backendMaxTtlSeconds: number;
  /** Mount (tune) or system defaults, seconds. */
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
  /** Lease issue time; the max TTL counts from here. */
  issueTime: number;
  /** Hard ceiling recorded when the lease was issued (never exceeded); 0 = none. */
  maxExpireTime?: number;
}

export interface TtlResult {
  /** Granted duration from `now`, ms (always > 0). */
  ttlMs: number;
  /** Seconds as reported on the wire (never 0 for a live lease). */
  ttlSeconds: number;
  expireTime: number;
  /** issueTime + effective max TTL (bounded by maxExpireTime). */
  maxExpireTime: number;
  warnings: string[];
}

export function calculateTtl(input: TtlInput): TtlResult {
  let maxTtl = input.maxTtlSeconds;
  if (input.backendMaxTtlSeconds > 0 && (maxTtl <= 0 || input.backendMaxTtlSeconds < maxTtl)) maxTtl = input.backendMaxTtlSeconds;
  if (maxTtl <= 0) throw new InvalidRequest('max TTL must be greater than zero');

  let requested = input.incrementSeconds > 0
    ? input.incrementSeconds
    : input.backendTtlSeconds > 0 ? input.backendTtlSeconds : input.defaultTtlSeconds;
  if (requested <= 0) requested = maxTtl;

  let maxExpireTime = input.issueTime + maxTtl * 1000;
  if (input.maxExpireTime && input.maxExpireTime > 0) maxExpireTime = Math.min(maxExpireTime, input.maxExpireTime);
  const remaining = maxExpireTime - input.now;
  if (remaining <= 0) throw new InvalidRequest('past the max TTL, cannot renew');

  const warnings: string[] = [];
  let ttlMs = requested * 1000;
  if (ttlMs > remaining) {
    warnings.push(`TTL of "${requested}s" exceeded the effective max_ttl of "${Math.max(1, Math.floor(remaining / 1000))}s"; TTL value is capped accordingly`);
    ttlMs = remaining;
  }
  return {
    ttlMs,
    ttlSeconds: Math.max(1, Math.ceil(ttlMs / 1000 - 1e-9)),
    expireTime: input.now + ttlMs,
    maxExpireTime,
    warnings,
  };
}
