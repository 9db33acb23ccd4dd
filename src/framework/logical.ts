/**
 * The logical request and response every backend sees: transport-free, as in Vault's
 * sdk/logical. http/ builds requests from the wire; core/ routes them and post-processes
 * responses (leases, token minting, wrapping, audit).
 */
import type { BarrierStorage } from '../barrier/types.js';

export type Operation = 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'help' | 'header';

/** What core knows of the caller once its token is resolved. */
export interface CallerIdentity {
  tokenAccessor: string;
  policies: string[];
  displayName: string;
  entityId: string;
  metadata: Record<string, string>;
  /** Salted id of the token, usable as a stable private key (cubbyhole). */
  tokenId: string;
  /** The raw client token; only core-internal backends (token store) may use it. */
  clientToken: string;
  tokenType: 'service' | 'batch';
  isRoot: boolean;
}

export interface LogicalRequest {
  id: string;
  operation: Operation;
  /** Full logical path after /v1/, without leading slash. */
  path: string;
  /** Path relative to the mount that serves it; set by the router. */
  mountRelativePath: string;
  mountPoint: string;
  mountType: string;
  mountAccessor: string;
  data: Record<string, unknown>;
  clientToken: string;
  caller?: CallerIdentity;
  wrapTtlSeconds?: number;
  headers: Record<string, string>;
  remoteAddress: string;
  remotePort?: number;
  /** The peer's TLS certificates (DER) for cert auth: its leaf, then the rest of the chain it sent (never trusted by itself). */
  peerCertificate?: Buffer[];
  /** Request body bytes exactly as received, for methods that must see them (cert, aws). */
  rawBody?: Buffer;
  storage: BarrierStorage;
}

export interface SecretLease {
  ttlSeconds: number;
  maxTtlSeconds?: number;
  renewable: boolean;
  /** Backend-private data kept with the lease for renew/revoke; never returned. */
  internal: Record<string, unknown>;
  /** Name of the secret type in the backend's `secrets` table. */
  type: string;
  /** KV-style refresh hint: reported as lease_duration, but no lease is registered. */
  advisory?: boolean;
}

/** A successful login: core mints the token. */
export interface AuthResult {
  policies: string[];
  displayName: string;
  metadata: Record<string, string>;
  ttlSeconds?: number;
  maxTtlSeconds?: number;
  explicitMaxTtlSeconds?: number;
  periodSeconds?: number;
  numUses?: number;
  renewable?: boolean;
  tokenType?: 'service' | 'batch' | 'default';
  boundCidrs?: string[];
  noDefaultPolicy?: boolean;
  /** Alias for the identity store: the stable name on this mount. */
  alias?: { name: string; metadata?: Record<string, string> };
  groupAliases?: string[];
  /** Data the auth method needs again on renew. */
  internal?: Record<string, unknown>;
}

export interface LogicalResponse {
  data?: Record<string, unknown> | null;
  secret?: SecretLease;
  auth?: AuthResult;
  warnings?: string[];
  /** Non-default status that still carries a full envelope (KV v2 deleted versions: 404). */
  statusCode?: number;
  /** Send this exactly, bypassing the envelope (sys/wrapping/unwrap, raw PKI endpoints). */
  raw?: { status: number; contentType: string; body: Buffer | string };
  /** Filled by core for the wire: lease id of a registered secret, wrap info, minted auth. */
  leaseId?: string;
  wrapInfo?: WrapInfo;
  mintedAuth?: Record<string, unknown>;
}

export interface WrapInfo {
  token: string;
  accessor: string;
  ttl: number;
  creation_time: string;
  creation_path: string;
  wrapped_accessor?: string;
}
