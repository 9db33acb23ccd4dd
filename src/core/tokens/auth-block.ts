/** The `auth` object of Vault's response envelope for a token. */
import type { TokenEntry } from './entry.js';

export function authBlock(clientToken: string, entry: TokenEntry, leaseDuration: number): Record<string, unknown> {
  const tokenPolicies = entry.policies;
  return {
    client_token: clientToken,
    accessor: entry.accessor,
    policies: tokenPolicies,
    token_policies: tokenPolicies,
    metadata: Object.keys(entry.meta).length > 0 ? entry.meta : null,
    lease_duration: leaseDuration,
    renewable: entry.renewable,
    entity_id: entry.entityId,
    token_type: entry.type,
    orphan: entry.parent === '',
    mfa_requirement: null,
    num_uses: Math.max(entry.numUses, 0),
  };
}

/** Seconds the token has left (0 = never expires). */
export function remainingTtl(entry: TokenEntry, nowSeconds: number): number {
  return entry.expireTime === 0 ? 0 : Math.max(0, entry.expireTime - nowSeconds);
}
