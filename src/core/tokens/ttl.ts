/**
 * Vault's lease TTL arithmetic (sdk/framework CalculateTTL) for tokens: creation and renewal.
 * The result is always a positive number of seconds or an error; it never yields 0, which
 * the token store would read as "never expires".
 */
import { InvalidRequest } from '../../errors.js';

export interface TtlInputs {
  /** Unix seconds. */
  now: number;
  /** When the lease was issued (token creation time), unix seconds. */
  startTime: number;
  /** Requested increment (renewal), 0 = none. */
  increment: number;
  /** The backend's TTL: the requested ttl on creation, the last granted ttl on renewal. */
  backendTtl: number;
  /** Periodic tokens: every renewal resets the TTL to the period. */
  period: number;
  /** A backend/role maximum, 0 = none. */
  backendMaxTtl: number;
  /** The token's hard cap from its creation, 0 = none. */
  explicitMaxTtl: number;
  /** The mount's effective limits (mount tune, else the system's). */
  mountDefaultTtl: number;
  mountMaxTtl: number;
}

export interface TtlResult {
  ttl: number;
  warnings: string[];
}

export const PAST_MAX_TTL = 'past the max TTL, cannot renew';

export function calculateTtl(inputs: TtlInputs): TtlResult {
  const warnings: string[] = [];
  let maxTtl = inputs.mountMaxTtl;
  if (inputs.backendMaxTtl > 0 && inputs.backendMaxTtl < maxTtl) maxTtl = inputs.backendMaxTtl;
  if (inputs.explicitMaxTtl > 0 && inputs.explicitMaxTtl < maxTtl) maxTtl = inputs.explicitMaxTtl;
  if (!(maxTtl > 0)) throw new InvalidRequest('max TTL must be greater than zero');

  let ttl: number;
  let maxValidTime: number | undefined;
  if (inputs.period > 0) {
    let period = inputs.period;
    if (period > maxTtl) {
      warnings.push(`period of "${period}s" exceeded the effective max_ttl of "${maxTtl}s"; period value is capped accordingly`);
      period = maxTtl;
    }
    ttl = period;
    if (inputs.explicitMaxTtl > 0) maxValidTime = inputs.startTime + inputs.explicitMaxTtl;
  } else {
    if (inputs.increment > 0) ttl = inputs.increment;
    else if (inputs.backendTtl > 0) ttl = inputs.backendTtl;
    else ttl = Math.min(inputs.mountDefaultTtl, inputs.mountMaxTtl);
    maxValidTime = inputs.startTime + maxTtl;
  }

  if (maxValidTime !== undefined) {
    const maxValidTtl = maxValidTime - inputs.now;
    if (maxValidTtl <= 0) throw new InvalidRequest(PAST_MAX_TTL);
    if (maxValidTtl < ttl) {
      warnings.push(`TTL of "${ttl}s" exceeded the effective max_ttl of "${maxValidTtl}s"; TTL value is capped accordingly`);
      ttl = maxValidTtl;
    }
  }
  // A zero TTL would mean "never expires" downstream: refuse rather than grant forever.
  if (!(ttl > 0) || !Number.isFinite(ttl)) throw new InvalidRequest(PAST_MAX_TTL);
  return { ttl, warnings };
}
