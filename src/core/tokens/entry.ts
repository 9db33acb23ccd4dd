/**
 * The stored token entry (a permanent byte contract: versioned JSON). Tokens are stored only
 * under their salted hash; the plaintext id never touches storage.
 */
export const TOKEN_ENTRY_VERSION = 1;

export interface TokenEntry {
  v: number;
  /** Salted HMAC of the token id (hex); also the storage key. */
  hashedId: string;
  accessor: string;
  /** hashedId of the parent, "" for orphans. */
  parent: string;
  policies: string[];
  path: string;
  meta: Record<string, string>;
  displayName: string;
  /** 0 = unlimited; -1 = used up (being revoked). */
  numUses: number;
  creationTime: number; // unix seconds
  ttl: number; // seconds, 0 = none
  explicitMaxTtl: number;
  period: number;
  /** Absolute expiry, unix seconds; 0 = never. */
  expireTime: number;
  renewable: boolean;
  type: 'service' | 'batch';
  entityId: string;
  boundCidrs: string[];
  noDefaultPolicy?: boolean;
  role?: string;
  /** Auth mount that issued it, for renewal re-checks. */
  authMount?: string;
  internal?: Record<string, unknown>;
  /** Unix seconds of the last renewal (absent until renewed). */
  lastRenewalTime?: number;
  /** TTL granted by the last renewal, seconds (absent until renewed; `ttl` keeps the creation TTL). */
  leaseTtl?: number;
}

export function isExpired(entry: TokenEntry, nowSeconds: number): boolean {
  return entry.expireTime !== 0 && entry.expireTime <= nowSeconds;
}
