/** The `data` of auth/token/lookup*: Vault's field set for one token. */
import type { TokenEntry } from '../../core/tokens/entry.js';
import { remainingTtl } from '../../core/tokens/auth-block.js';

/** RFC 3339 in UTC with whole seconds, as Go prints a truncated time. */
export function rfc3339(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function lookupData(entry: TokenEntry, id: string, nowSeconds: number): Record<string, unknown> {
  const expiring = entry.expireTime !== 0;
  const data: Record<string, unknown> = {
    accessor: entry.accessor,
    creation_time: entry.creationTime,
    creation_ttl: entry.ttl,
    display_name: entry.displayName,
    entity_id: entry.entityId,
    expire_time: expiring ? rfc3339(entry.expireTime) : null,
    explicit_max_ttl: entry.explicitMaxTtl,
    id,
    issue_time: rfc3339(entry.creationTime),
    meta: Object.keys(entry.meta).length > 0 ? entry.meta : null,
    num_uses: Math.max(entry.numUses, 0),
    orphan: entry.parent === '',
    path: entry.path,
    policies: entry.policies,
    renewable: expiring && entry.renewable && entry.type === 'service',
    ttl: remainingTtl(entry, nowSeconds),
    type: entry.type,
  };
  if (entry.role) data.role = entry.role;
  if (entry.period) data.period = entry.period;
  if (entry.boundCidrs.length > 0) data.bound_cidrs = entry.boundCidrs;
  if (entry.lastRenewalTime) {
    data.last_renewal_time = entry.lastRenewalTime;
    data.last_renewal = rfc3339(entry.lastRenewalTime);
  }
  return data;
}
