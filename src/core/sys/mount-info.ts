/**
 * How a mount table entry looks on the wire: the mount object of `sys/mounts`, `sys/auth` and
 * `sys/internal/ui/mounts`, and the tune view. Pure functions of the entry (Vault's
 * `mountInfo` and `handleTuneReadCommon`).
 */
import { ARCA_VERSION } from '../core.js';
import type { MountEntry } from '../mounts/entry.js';

/** Types built into core: one instance each, versioned with the server, no deprecation status. */
const CORE_TYPES: ReadonlySet<string> = new Set(['system', 'cubbyhole', 'identity', 'token']);

export const DEFAULT_TOKEN_TYPE = 'default-service';

/** `v1.19.0+builtin.vault` for core parts, `v1.19.0+builtin` for built-in engines and methods. */
export function runningPluginVersion(entry: Pick<MountEntry, 'type'>): string {
  return CORE_TYPES.has(entry.type) ? `v${ARCA_VERSION}+builtin.vault` : `v${ARCA_VERSION}+builtin`;
}

/** The entry's `config` block: TTLs as stored (0 = system default), optional keys only when set. */
export function mountConfigInfo(entry: MountEntry): Record<string, unknown> {
  const c = entry.config;
  const out: Record<string, unknown> = {
    default_lease_ttl: c.defaultLeaseTtl,
    max_lease_ttl: c.maxLeaseTtl,
    force_no_cache: c.forceNoCache,
  };
  if (c.auditNonHmacRequestKeys && c.auditNonHmacRequestKeys.length > 0) out.audit_non_hmac_request_keys = [...c.auditNonHmacRequestKeys];
  if (c.auditNonHmacResponseKeys && c.auditNonHmacResponseKeys.length > 0) out.audit_non_hmac_response_keys = [...c.auditNonHmacResponseKeys];
  if (c.listingVisibility) out.listing_visibility = c.listingVisibility;
  if (c.passthroughRequestHeaders && c.passthroughRequestHeaders.length > 0) out.passthrough_request_headers = [...c.passthroughRequestHeaders];
  if (c.allowedResponseHeaders && c.allowedResponseHeaders.length > 0) out.allowed_response_headers = [...c.allowedResponseHeaders];
  if (entry.table === 'auth') out.token_type = c.tokenType || DEFAULT_TOKEN_TYPE;
  return out;
}

/** The mount object as `sys/mounts` lists it. */
export function mountInfo(entry: MountEntry): Record<string, unknown> {
  const info: Record<string, unknown> = {
    type: entry.type,
    description: entry.description,
    accessor: entry.accessor,
    uuid: entry.uuid,
    local: entry.local,
    seal_wrap: entry.sealWrap,
    external_entropy_access: entry.externalEntropyAccess,
    options: entry.options ? { ...entry.options } : null,
    plugin_version: '',
    running_plugin_version: runningPluginVersion(entry),
    running_sha256: '',
  };
  if (!CORE_TYPES.has(entry.type)) info.deprecation_status = 'supported';
  info.config = mountConfigInfo(entry);
  return info;
}

/** The reduced object shown to callers without a token (`listing_visibility: "unauth"`). */
export function publicMountInfo(entry: MountEntry): Record<string, unknown> {
  return { type: entry.type, description: entry.description, options: entry.options ? { ...entry.options } : null };
}

/** The tune view: effective TTLs in seconds, optional keys only when set. */
export function tuneInfo(entry: MountEntry, system: { defaultLeaseTtl: number; maxLeaseTtl: number }): Record<string, unknown> {
  const c = entry.config;
  const out: Record<string, unknown> = {
    description: entry.description,
    default_lease_ttl: c.defaultLeaseTtl || system.defaultLeaseTtl,
    max_lease_ttl: c.maxLeaseTtl || system.maxLeaseTtl,
    force_no_cache: c.forceNoCache,
  };
  if (entry.externalEntropyAccess) out.external_entropy_access = true;
  if (entry.table === 'auth') out.token_type = c.tokenType || DEFAULT_TOKEN_TYPE;
  if (c.auditNonHmacRequestKeys && c.auditNonHmacRequestKeys.length > 0) out.audit_non_hmac_request_keys = [...c.auditNonHmacRequestKeys];
  if (c.auditNonHmacResponseKeys && c.auditNonHmacResponseKeys.length > 0) out.audit_non_hmac_response_keys = [...c.auditNonHmacResponseKeys];
  if (c.listingVisibility) out.listing_visibility = c.listingVisibility;
  if (c.passthroughRequestHeaders && c.passthroughRequestHeaders.length > 0) out.passthrough_request_headers = [...c.passthroughRequestHeaders];
  if (c.allowedResponseHeaders && c.allowedResponseHeaders.length > 0) out.allowed_response_headers = [...c.allowedResponseHeaders];
  if (entry.options && Object.keys(entry.options).length > 0) out.options = { ...entry.options };
  const lockout = c.userLockoutConfig;
  if (lockout) {
    if (lockout.lockout_threshold !== undefined) out.user_lockout_threshold = lockout.lockout_threshold;
    if (lockout.lockout_duration !== undefined) out.user_lockout_duration = lockout.lockout_duration;
    if (lockout.lockout_counter_reset !== undefined) out.user_lockout_counter_reset_duration = lockout.lockout_counter_reset;
    if (lockout.lockout_disable !== undefined) out.user_lockout_disable = lockout.lockout_disable;
  }
  return out;
}
