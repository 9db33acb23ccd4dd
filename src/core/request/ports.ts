/**
 * What the request pipeline needs from the subsystems around it. Each is optional so the
 * pipeline runs with whatever the server has wired (tests wire only what they exercise).
 */
import type { AuthResult, LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import type { TokenEntry } from '../tokens/entry.js';
import type { LiveMount } from '../mounts/manager.js';

export interface AclDecision {
  allowed: boolean;
  /** The matched rule grants sudo. */
  rootPrivs: boolean;
  grantingPolicies: string[];
}

export interface AclCheck {
  allowOperation(req: {
    path: string;
    operation: string;
    data?: Record<string, unknown>;
    wrapTtlSeconds?: number;
  }): AclDecision;
  capabilities(path: string): string[];
}

export interface AclProvider {
  /** The compiled ACL for a set of policy names (cached by the provider). */
  aclFor(policies: string[]): Promise<AclCheck>;
  /** The ACL for these names when it is compiled and cached already (no waiting), else undefined. */
  cachedAclFor?(policies: readonly string[]): AclCheck | undefined;
}

export interface LeaseRegistrar {
  /** Registers a secret lease; returns the lease id and effective ttl. */
  registerSecret(req: LogicalRequest, response: LogicalResponse, mount: LiveMount): Promise<{ leaseId: string; ttl: number }>;
  /** Registers a token lease (so expiry revokes it). */
  registerToken(entry: TokenEntry): Promise<void>;
}

export interface ResponseWrapper {
  /** Replaces the response by a wrapping token's `wrap_info`. */
  wrap(req: LogicalRequest, response: LogicalResponse, ttlSeconds: number): Promise<LogicalResponse>;
}

export interface AuditSink {
  /**
   * Rejects with AuditFailure when devices are enabled and none could record. Undefined when no
   * device is enabled (nothing to record, nothing to wait for).
   */
  logRequest(req: LogicalRequest, error?: Error): Promise<void> | undefined;
  logResponse(req: LogicalRequest, response: LogicalResponse | undefined, error?: Error): Promise<void> | undefined;
}

export interface IdentityResolver {
  /** The entity behind a successful login (created with its alias on first login). */
  entityForLogin(mountAccessor: string, auth: AuthResult): Promise<string | undefined>;
  /** Policies the entity and its groups add to the token's for the ACL check. */
  policiesFor(entityId: string): Promise<string[]>;
}
