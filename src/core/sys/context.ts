/** What sys/ path groups may use. Composed once in the server's composition root. */
import type { Core } from '../core.js';
import type { IdentityResolver } from '../request/ports.js';
import type { MountManager } from '../mounts/manager.js';
import type { BackendRegistry } from '../mounts/registry.js';
import type { PolicyAclProvider } from '../policy/acl-cache.js';
import type { PolicyStore } from '../policy/store.js';
import type { ResponseWrapping } from '../wrapping/wrapper.js';
import type { ExpirationManager } from '../expiration/manager.js';
import type { AuditAdmin } from './audit.js';
import type { MetricsEndpoint } from '../metrics/endpoint.js';
import type { PasswordPolicyStore } from '../password-policy/store.js';
import type { ServerConfig } from '../../config/types.js';
import type { Logger } from '../../util/log.js';
import type { InFlightRequest } from './in-flight.js';

export interface SysContext {
  core: Core;
  mounts: MountManager;
  registry: BackendRegistry;
  /** Steps down from active (HA); without HA it is a no-op. */
  stepDown?: () => Promise<void>;
  /** ACL policy store (sys/policy, sys/policies/acl). */
  policies?: PolicyStore;
  /** Compiled, cached ACLs by policy set (sys/capabilities*, sys/internal/ui/mounts: `hasAccessUnder`). */
  acl?: PolicyAclProvider;
  /** Response wrapping (sys/wrapping/*): unwrap, lookup, rewrap. */
  wrapping?: ResponseWrapping;
  /** Lease management (sys/leases/*, sys/renew, sys/revoke*). */
  expiration?: ExpirationManager;
  /** Identity policies for ACL views of a token (sys/capabilities*, sys/internal/ui/mounts). */
  identity?: IdentityResolver;
  /** HA cluster view (sys/ha-status). */
  ha?: { nodes(): Promise<Record<string, unknown>[]> };
  /** Password policies (sys/policies/password/*). */
  passwordPolicies?: PasswordPolicyStore;
  /** Audit devices (sys/audit, sys/audit-hash). */
  audit?: AuditAdmin;
  /** sys/metrics. */
  metrics?: MetricsEndpoint;
  /** The server configuration as loaded at start (sys/config/state/sanitized; sys/loggers' configured level). */
  config?: ServerConfig;
  /** The server logger (sys/loggers changes its level at runtime). */
  logger?: Logger;
  /** Requests being handled now (sys/in-flight-req); see src/server/in-flight.ts. */
  inFlight?: { snapshot(): Record<string, InFlightRequest> };
}
