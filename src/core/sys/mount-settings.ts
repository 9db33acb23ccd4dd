/**
 * Mount settings shared by `sys/mounts` and `sys/auth`: mount paths, the enable body's
 * `config` block, and tuning a live entry (Vault's handleMount / handleTuneWriteCommon).
 * Pure over MountEntry; no request types.
 */
import { InvalidRequest } from '../../errors.js';
import { coerceField } from '../../framework/fields.js';
import { parseDurationSeconds } from '../../util/duration.js';
import { nonCanonicalReason } from '../policy/path.js';
import { normalizeMountPath, type MountConfig, type MountEntry, type MountTable } from '../mounts/entry.js';
import { DEFAULT_TOKEN_TYPE, runningPluginVersion } from './mount-info.js';

export interface SystemTtls {
  defaultLeaseTtl: number;
  maxLeaseTtl: number;
}

/** Secret mount paths nobody may mount over, unmount or move (Vault's protectedMounts). */
export const PROTECTED_MOUNT_PREFIXES: readonly string[] = ['audit/', 'auth/', 'sys/', 'cubbyhole/', 'identity/'];
/** Mounts whose only tunables are the audit key lists (Vault's untunableMounts). */
const UNTUNABLE_PREFIXES: readonly string[] = ['cubbyhole/', 'sys/', 'audit/', 'identity/'];
const UNTUNABLE_ALLOWED: ReadonlySet<string> = new Set(['path', 'audit_non_hmac_request_keys', 'audit_non_hmac_response_keys']);

export const LISTING_VISIBILITY: readonly string[] = ['', 'unauth', 'hidden'];
export const TOKEN_TYPES: readonly string[] = ['default-service', 'default-batch', 'service', 'batch'];
/** Engine types that exist once, built into core. */
export const SINGLETON_TYPES: ReadonlySet<string> = new Set(['system', 'cubbyhole', 'identity', 'token']);

/** `foo/bar` → `foo/bar/`, refusing empty, `.`/`..`, `//` and control characters. */
export function mountPath(raw: string): string {
  const normalized = normalizeMountPath(raw);
  if (normalized === '') throw new InvalidRequest('mount path must not be empty');
  const reason = nonCanonicalReason(normalized);
  if (reason || raw.trim() !== raw) throw new InvalidRequest(`invalid mount path: ${reason ?? 'path must not have surrounding whitespace'}`);
  return normalized;
}

/** A TTL input: undefined/"" = not given, "system" = 0 (server default), else a duration. */
export function parseTtl(raw: unknown, name: string): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (raw === 'system') return 0;
  const seconds = parseDurationSeconds(raw);
  if (seconds === undefined) throw new InvalidRequest(`unable to parse ${name}: expected a duration such as "1h" or a number of seconds`);
  return seconds;
}

function stringList(raw: unknown, name: string): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  return coerceField(name, { type: 'commaStringList' }, raw) as string[];
}

function nonEmpty(list: string[] | undefined): string[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

export function checkListingVisibility(value: string): void {
  if (!LISTING_VISIBILITY.includes(value)) throw new InvalidRequest('invalid listing_visibility: must be "unauth", "hidden" or empty');
}

export function checkTokenType(value: string): string {
  if (value === '') return DEFAULT_TOKEN_TYPE;
  if (!TOKEN_TYPES.includes(value)) throw new InvalidRequest("invalid value for 'token_type'");
  return value;
}

/** A requested plugin version must be empty or this server's built-in version. */
export function checkPluginVersion(value: string | undefined, type: string, table: MountTable): void {
  if (value === undefined || value === '') return;
  const builtin = runningPluginVersion({ type });
  if (value === builtin || `v${value}` === builtin) return;
  const kind = table === 'auth' ? 'auth' : 'secrets';
  throw new InvalidRequest(`cannot select non-builtin version of ${kind} plugin`);
}

/** The enable body's `config` map → a stored MountConfig, checked like Vault's handleMount. */
export function parseEnableConfig(raw: Record<string, unknown> | undefined, table: MountTable, system: SystemTtls): MountConfig {
  const input = raw ?? {};
  const defaultLeaseTtl = parseTtl(input.default_lease_ttl, 'default_lease_ttl') ?? 0;
  const maxLeaseTtl = parseTtl(input.max_lease_ttl, 'max_lease_ttl') ?? 0;
  if (maxLeaseTtl !== 0 && defaultLeaseTtl > maxLeaseTtl) {
    throw new InvalidRequest('given default lease TTL greater than given max lease TTL');
  }
  if (maxLeaseTtl === 0 && defaultLeaseTtl > system.maxLeaseTtl) {
    throw new InvalidRequest(`given default lease TTL greater than system max lease TTL of ${system.maxLeaseTtl}`);
  }
  const listingVisibility = input.listing_visibility === undefined || input.listing_visibility === null
    ? '' : String(coerceField('listing_visibility', { type: 'string' }, input.listing_visibility));
  checkListingVisibility(listingVisibility);
  const config: MountConfig = {
    defaultLeaseTtl,
    maxLeaseTtl,
    forceNoCache: input.force_no_cache === undefined ? false : coerceField('force_no_cache', { type: 'bool' }, input.force_no_cache) as boolean,
  };
  const requestKeys = nonEmpty(stringList(input.audit_non_hmac_request_keys, 'audit_non_hmac_request_keys'));
  const responseKeys = nonEmpty(stringList(input.audit_non_hmac_response_keys, 'audit_non_hmac_response_keys'));
  const passthrough = nonEmpty(stringList(input.passthrough_request_headers, 'passthrough_request_headers'));
  const allowed = nonEmpty(stringList(input.allowed_response_headers, 'allowed_response_headers'));
  if (requestKeys) config.auditNonHmacRequestKeys = requestKeys;
  if (responseKeys) config.auditNonHmacResponseKeys = responseKeys;
  if (listingVisibility) config.listingVisibility = listingVisibility;
  if (passthrough) config.passthroughRequestHeaders = passthrough;
  if (allowed) config.allowedResponseHeaders = allowed;
  if (table === 'auth') {
    const tokenType = input.token_type === undefined || input.token_type === null ? '' : String(input.token_type);
    config.tokenType = checkTokenType(tokenType);
  } else if (input.token_type !== undefined && input.token_type !== null && input.token_type !== '') {
    throw new InvalidRequest("'token_type' can only be set on auth mounts");
  }
  return config;
}

/** What a tune request may carry, already typed by the path's fields. */
export interface TuneInput {
  default_lease_ttl?: unknown;
  max_lease_ttl?: unknown;
  description?: string;
  options?: Record<string, string>;
  audit_non_hmac_request_keys?: string[];
  audit_non_hmac_response_keys?: string[];
  listing_visibility?: string;
  passthrough_request_headers?: string[];
  allowed_response_headers?: string[];
  token_type?: string;
  plugin_version?: string;
  user_lockout_config?: Record<string, unknown>;
}

export const TUNE_FIELDS = {
  default_lease_ttl: { type: 'any', description: 'Default lease TTL: a duration, seconds, or "system".' },
  max_lease_ttl: { type: 'any', description: 'Maximum lease TTL: a duration, seconds, or "system".' },
  description: { type: 'string' },
  options: { type: 'keyPairs', description: 'Engine options; an empty value removes the option (except version).' },
  audit_non_hmac_request_keys: { type: 'commaStringList' },
  audit_non_hmac_response_keys: { type: 'commaStringList' },
  listing_visibility: { type: 'string' },
  passthrough_request_headers: { type: 'commaStringList' },
  allowed_response_headers: { type: 'commaStringList' },
  token_type: { type: 'string' },
  plugin_version: { type: 'string' },
  user_lockout_config: { type: 'map', description: 'lockout_threshold, lockout_duration, lockout_counter_reset, lockout_disable (userpass, ldap, approle).' },
} as const;

/** Auth methods whose logins count failures (Vault's user lockout). */
const USER_LOCKOUT_TYPES: ReadonlySet<string> = new Set(['userpass', 'ldap', 'approle']);

function parseUserLockoutConfig(raw: Record<string, unknown>): NonNullable<MountConfig['userLockoutConfig']> {
  const out: NonNullable<MountConfig['userLockoutConfig']> = {};
  if (raw.lockout_threshold !== undefined && raw.lockout_threshold !== '') {
    const n = Number(raw.lockout_threshold);
    if (!Number.isInteger(n) || n < 0) throw new InvalidRequest('error parsing lockout_threshold: expected a non-negative integer');
    out.lockout_threshold = n;
  }
  const duration = parseTtl(raw.lockout_duration, 'lockout_duration');
  if (duration !== undefined) out.lockout_duration = duration;
  const reset = parseTtl(raw.lockout_counter_reset, 'lockout_counter_reset');
  if (reset !== undefined) out.lockout_counter_reset = reset;
  if (raw.lockout_disable !== undefined) out.lockout_disable = coerceField('lockout_disable', { type: 'bool' }, raw.lockout_disable) as boolean;
  return out;
}

export interface TuneOutcome {
  /** Set when options.version went up: the backend must be rebuilt. */
  kvUpgrade?: { from: number; to: number };
}

function parseVersion(value: string | undefined, what: string): number {
  if (value === undefined || value === '') return 0;
  if (!/^\d+$/.test(value.trim())) throw new InvalidRequest(`unable to parse ${what}: version must be an integer`);
  return Number(value.trim());
}

/**
 * Validates every tunable first and then applies them all to the live entry, so a bad input
 * changes nothing. Returns a snapshot-restoring function for when persisting fails.
 * `present` is the set of keys the caller actually sent (for the untunable-mount rule).
 */
export function applyTune(entry: MountEntry, input: TuneInput, present: readonly string[], system: SystemTtls): { outcome: TuneOutcome; restore: () => void } {
  const prefix = entry.table === 'auth' ? `auth/${entry.path}` : entry.path;
  const untunable = entry.table === 'mounts' && UNTUNABLE_PREFIXES.some((p) => prefix.startsWith(p));
  if (untunable) {
    const refused = present.filter((k) => k in TUNE_FIELDS && !UNTUNABLE_ALLOWED.has(k)).sort();
    if (refused.length > 0) throw new InvalidRequest(`cannot tune parameter ${refused[0]} of ${prefix}`);
  }

  const next = structuredClone({ config: entry.config, options: entry.options, description: entry.description });
  const outcome: TuneOutcome = {};

  if (!untunable) {
    const newDefault = parseTtl(input.default_lease_ttl, 'default_lease_ttl') ?? entry.config.defaultLeaseTtl;
    const newMax = parseTtl(input.max_lease_ttl, 'max_lease_ttl') ?? entry.config.maxLeaseTtl;
    if (newDefault !== entry.config.defaultLeaseTtl || newMax !== entry.config.maxLeaseTtl) {
      if (newDefault !== 0 && newMax !== 0 && newMax < newDefault) {
        throw new InvalidRequest(`backend max lease TTL of ${newMax} would be less than backend default lease TTL of ${newDefault}`);
      }
      if (newMax === 0 && newDefault > system.maxLeaseTtl) {
        throw new InvalidRequest(`given default lease TTL greater than system max lease TTL of ${system.maxLeaseTtl}`);
      }
      next.config.defaultLeaseTtl = newDefault;
      next.config.maxLeaseTtl = newMax;
    }
  }

  if (input.description !== undefined) next.description = input.description;
  checkPluginVersion(input.plugin_version, entry.type, entry.table);
  if (input.audit_non_hmac_request_keys !== undefined) next.config.auditNonHmacRequestKeys = input.audit_non_hmac_request_keys;
  if (input.audit_non_hmac_response_keys !== undefined) next.config.auditNonHmacResponseKeys = input.audit_non_hmac_response_keys;
  if (input.listing_visibility !== undefined) {
    checkListingVisibility(input.listing_visibility);
    next.config.listingVisibility = input.listing_visibility;
  }
  if (input.token_type !== undefined) {
    if (entry.table !== 'auth') throw new InvalidRequest("'token_type' can only be modified on auth mounts");
    if (entry.type === 'token') throw new InvalidRequest("'token_type' cannot be set for 'token' or 'ns_token' auth mounts");
    next.config.tokenType = checkTokenType(input.token_type);
  }
  if (input.user_lockout_config !== undefined) {
    if (entry.table !== 'auth' || !USER_LOCKOUT_TYPES.has(entry.type)) {
      throw new InvalidRequest('tuning of user lockout configuration for this auth type is not allowed');
    }
    next.config.userLockoutConfig = parseUserLockoutConfig(input.user_lockout_config);
  }
  if (input.passthrough_request_headers !== undefined) next.config.passthroughRequestHeaders = input.passthrough_request_headers;
  if (input.allowed_response_headers !== undefined) next.config.allowedResponseHeaders = input.allowed_response_headers;

  const options = input.options;
  if (options && Object.keys(options).length > 0) {
    if ('version' in options) {
      if (entry.type !== 'kv') {
        const kind = entry.table === 'auth' ? 'auth method' : 'secrets engine';
        throw new InvalidRequest(`${kind} "${entry.type}" does not allow setting a version`);
      }
      const current = parseVersion(entry.options?.version, 'mount entry');
      const wanted = parseVersion(options.version, 'options');
      if (wanted !== 1 && wanted !== 2) throw new InvalidRequest(`invalid version provided: ${wanted}`);
      if (current > wanted) throw new InvalidRequest(`cannot downgrade mount from version ${current}`);
      if (current < wanted) outcome.kvUpgrade = { from: current, to: wanted };
    }
    const merged: Record<string, string> = { ...(entry.options ?? {}) };
    for (const [key, value] of Object.entries(options)) {
      if (value === '' && key !== 'version') delete merged[key];
      else merged[key] = value;
    }
    next.options = Object.keys(merged).length > 0 ? merged : null;
  }

  const before = structuredClone({ config: entry.config, options: entry.options, description: entry.description });
  setSettings(entry, next);
  return { outcome, restore: () => setSettings(entry, before) };
}

/**
 * Writes tunables into the live entry, keeping the `config` and `options` objects themselves
 * (a backend may hold on to them) and only replacing their contents.
 */
function setSettings(entry: MountEntry, values: Pick<MountEntry, 'config' | 'options' | 'description'>): void {
  replaceContents(entry.config, values.config);
  if (values.options === null) entry.options = null;
  else if (entry.options === null) entry.options = { ...values.options };
  else replaceContents(entry.options, values.options);
  entry.description = values.description;
}

function replaceContents<T extends object>(target: T, source: T): void {
  for (const key of Object.keys(target)) if (!(key in source)) delete (target as Record<string, unknown>)[key];
  Object.assign(target, source);
}

/** Vault's rule for `options` at enable time: only KV takes a version; aliases set one. */
export function resolveEngineType(type: string, options: Record<string, string> | undefined, table: MountTable): { type: string; options: Record<string, string> | null } {
  const opts = options && Object.keys(options).length > 0 ? { ...options } : undefined;
  if (table === 'mounts' && (type === 'kv-v1' || type === 'kv-v2')) {
    return { type: 'kv', options: { ...(opts ?? {}), version: type === 'kv-v1' ? '1' : '2' } };
  }
  if (opts?.version !== undefined && opts.version !== '') {
    if (table === 'auth') throw new InvalidRequest('auth methods do not allow setting a version');
    if (type !== 'kv') throw new InvalidRequest('only the kv secrets engine allows setting a version');
    if (opts.version !== '1' && opts.version !== '2') throw new InvalidRequest('invalid version provided: must be 1 or 2');
  }
  return { type, options: opts ?? null };
}
