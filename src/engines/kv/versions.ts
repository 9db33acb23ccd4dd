/**
 * KV v2 version bookkeeping: key metadata, the sliding window of max_versions, soft delete,
 * undelete, destroy, check-and-set and delete_version_after. Pure: no storage, no HTTP; the
 * caller passes the clock in.
 */
import { InvalidRequest } from '../../errors.js';
import { formatDuration } from '../../util/duration.js';

export const KV_ENTRY_VERSION = 1;
export const DEFAULT_MAX_VERSIONS = 10;
/** Mount config value of delete_version_after that turns the feature off for every key. */
export const DELETE_VERSION_AFTER_DISABLED = -1;

export const MAX_CUSTOM_METADATA_KEYS = 64;
export const MAX_CUSTOM_METADATA_KEY_LENGTH = 128;
export const MAX_CUSTOM_METADATA_VALUE_LENGTH = 512;

export interface VersionMeta {
  /** RFC3339Nano. */
  createdTime: string;
  /** RFC3339Nano, or "" when the version is not (scheduled to be) deleted. */
  deletionTime: string;
  destroyed: boolean;
}

export interface KeyMetadata {
  v: typeof KV_ENTRY_VERSION;
  key: string;
  currentVersion: number;
  oldestVersion: number;
  createdTime: string;
  updatedTime: string;
  /** 0 = use the mount config. */
  maxVersions: number;
  casRequired: boolean;
  /** Seconds; 0 = use the mount config. */
  deleteVersionAfter: number;
  customMetadata: Record<string, string> | null;
  versions: Record<string, VersionMeta>;
}

export interface KvConfig {
  v: typeof KV_ENTRY_VERSION;
  maxVersions: number;
  casRequired: boolean;
  /** Seconds; 0 = unset, DELETE_VERSION_AFTER_DISABLED = off for every key. */
  deleteVersionAfter: number;
}

export function defaultConfig(): KvConfig {
  return { v: KV_ENTRY_VERSION, maxVersions: 0, casRequired: false, deleteVersionAfter: 0 };
}

/** Go's time.RFC3339Nano: UTC, fractional seconds without trailing zeros. */
export function rfc3339Nano(date: Date): string {
  return date.toISOString().replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits ? `.${digits}Z` : 'Z'));
}

/** A secret's path as written: non-empty and not a folder. */
export function checkSecretPath(path: string): string {
  if (path === '' || path.endsWith('/')) throw new InvalidRequest('invalid secret path: it must not be empty or end with "/"');
  return path;
}

export function newKeyMetadata(key: string, now: Date): KeyMetadata {
  const time = rfc3339Nano(now);
  return {
    v: KV_ENTRY_VERSION, key, currentVersion: 0, oldestVersion: 0, createdTime: time, updatedTime: time,
    maxVersions: 0, casRequired: false, deleteVersionAfter: 0, customMetadata: null, versions: {},
  };
}

/** Soft-deleted: a deletion time that has passed. A future deletion time still reads normally. */
export function isDeleted(vm: VersionMeta, now: Date): boolean {
  return vm.deletionTime !== '' && Date.parse(vm.deletionTime) <= now.getTime();
}

export function isLive(vm: VersionMeta, now: Date): boolean {
  return !vm.destroyed && !isDeleted(vm, now);
}

/**
 * When a version written at `from` is deleted automatically: `from` plus the smaller non-zero of
 * the mount and key settings; "" when neither is set or the mount disabled the feature.
 */
export function scheduledDeletion(from: Date, config: KvConfig, meta: KeyMetadata): string {
  if (config.deleteVersionAfter === DELETE_VERSION_AFTER_DISABLED) return '';
  const candidates = [config.deleteVersionAfter, meta.deleteVersionAfter].filter((s) => s > 0);
  if (candidates.length === 0) return '';
  return rfc3339Nano(new Date(from.getTime() + Math.min(...candidates) * 1000));
}

/** Parses the `cas` option the way Vault's weak decoding does: integers and integer strings. */
export function parseCas(raw: unknown): number {
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw === 'string' && /^-?\d+$/.test(raw.trim())) return Number(raw.trim());
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  throw new InvalidRequest('error parsing check-and-set parameter');
}

/** Enforces check-and-set: an explicit `cas` must equal the current version; `cas_required` demands one. */
export function checkCas(options: Record<string, unknown> | undefined, config: KvConfig, meta: KeyMetadata): void {
  if (options && Object.prototype.hasOwnProperty.call(options, 'cas') && options.cas !== null) {
    if (parseCas(options.cas) !== meta.currentVersion) {
      throw new InvalidRequest('check-and-set parameter did not match the current version');
    }
    return;
  }
  if (config.casRequired || meta.casRequired) throw new InvalidRequest('check-and-set parameter required for this call');
}

export function effectiveMaxVersions(config: KvConfig, meta: KeyMetadata): number {
  if (meta.maxVersions > 0) return meta.maxVersions;
  if (config.maxVersions > 0) return config.maxVersions;
  return DEFAULT_MAX_VERSIONS;
}

/**
 * Adds the next version to `meta` (mutated) and slides the max_versions window.
 * Returns the new version number and the versions whose data must now be removed.
 */
export function addVersion(meta: KeyMetadata, config: KvConfig, now: Date): { version: number; purge: number[] } {
  const created = rfc3339Nano(now);
  meta.currentVersion += 1;
  meta.versions[String(meta.currentVersion)] = {
    createdTime: created, deletionTime: scheduledDeletion(now, config, meta), destroyed: false,
  };
  meta.updatedTime = created;
  const max = effectiveMaxVersions(config, meta);
  const purge: number[] = [];
  if (meta.currentVersion - meta.oldestVersion >= max) {
    const lastToDelete = meta.currentVersion - max;
    for (let n = Math.max(meta.oldestVersion, 1); n <= lastToDelete; n++) {
      delete meta.versions[String(n)];
      purge.push(n);
    }
    meta.oldestVersion = lastToDelete + 1;
  }
  return { version: meta.currentVersion, purge };
}

/** Marks live versions deleted now; missing, destroyed or already deleted ones are skipped. */
export function softDelete(meta: KeyMetadata, versions: readonly number[], now: Date): void {
  for (const n of versions) {
    const vm = meta.versions[String(n)];
    if (!vm || !isLive(vm, now)) continue;
    vm.deletionTime = rfc3339Nano(now);
  }
}

/** Clears the deletion mark (re-arming delete_version_after from now); destroyed versions stay gone. */
export function undelete(meta: KeyMetadata, config: KvConfig, versions: readonly number[], now: Date): void {
  for (const n of versions) {
    const vm = meta.versions[String(n)];
    if (!vm || vm.destroyed) continue;
    vm.deletionTime = scheduledDeletion(now, config, meta);
  }
}

/** Marks versions destroyed; returns those whose data must be removed now. */
export function destroy(meta: KeyMetadata, versions: readonly number[]): number[] {
  const removed: number[] = [];
  for (const n of versions) {
    const vm = meta.versions[String(n)];
    if (!vm || vm.destroyed) continue;
    vm.destroyed = true;
    removed.push(n);
  }
  return removed;
}

/** Parses `versions` as Vault's TypeCommaIntSlice: [1,2], "1,2", 3 or "3". */
export function parseVersionList(raw: unknown): number[] {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter((s) => s !== '') : [raw];
  return items.map((item) => {
    const n = typeof item === 'string' && /^\d+$/.test(item.trim()) ? Number(item.trim()) : item;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new InvalidRequest('error converting input for field "versions": expected a list of version numbers');
    }
    return n;
  });
}

/**
 * custom_metadata: string values (numbers and booleans are converted, as Vault's weak decoding
 * does), at most 64 keys, keys 1..128 and values 1..512 characters, printable.
 */
export function parseCustomMetadata(raw: Record<string, unknown>, dropNulls: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === null && dropNulls) continue;
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    else throw new InvalidRequest('custom_metadata validation failed: values must be strings');
  }
  return out;
}

const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;

export function validateCustomMetadata(map: Record<string, string>): void {
  const count = Object.keys(map).length;
  const prefix = 'custom_metadata validation failed';
  if (count > MAX_CUSTOM_METADATA_KEYS) {
    throw new InvalidRequest(`${prefix}: payload must contain at most ${MAX_CUSTOM_METADATA_KEYS} keys, provided ${count}`);
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    const keyLength = [...key].length;
    const valueLength = [...value].length;
    if (keyLength === 0 || keyLength > MAX_CUSTOM_METADATA_KEY_LENGTH) {
      problems.push(`${prefix}: length of key is ${keyLength} but must be 0 < len(key) <= ${MAX_CUSTOM_METADATA_KEY_LENGTH}`);
    }
    if (valueLength === 0 || valueLength > MAX_CUSTOM_METADATA_VALUE_LENGTH) {
      problems.push(`${prefix}: length of value is ${valueLength} but must be 0 < len(value) <= ${MAX_CUSTOM_METADATA_VALUE_LENGTH}`);
    }
    if (UNPRINTABLE.test(key)) problems.push(`${prefix}: a key contains unprintable characters`);
    if (UNPRINTABLE.test(value)) problems.push(`${prefix}: a value contains unprintable characters`);
  }
  if (problems.length > 0) throw new InvalidRequest(problems.join('; '));
}

/** The per-version metadata block returned by data reads and writes. */
export function versionView(meta: KeyMetadata, version: number): Record<string, unknown> {
  const vm = meta.versions[String(version)];
  return {
    created_time: vm?.createdTime ?? '',
    custom_metadata: meta.customMetadata,
    deletion_time: vm?.deletionTime ?? '',
    destroyed: vm?.destroyed ?? false,
    version,
  };
}

/** The body of GET metadata/<key>. */
export function metadataView(meta: KeyMetadata): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  for (const [n, vm] of Object.entries(meta.versions)) {
    versions[n] = { created_time: vm.createdTime, deletion_time: vm.deletionTime, destroyed: vm.destroyed };
  }
  return {
    cas_required: meta.casRequired,
    created_time: meta.createdTime,
    current_version: meta.currentVersion,
    custom_metadata: meta.customMetadata,
    delete_version_after: formatDuration(meta.deleteVersionAfter),
    max_versions: meta.maxVersions,
    oldest_version: meta.oldestVersion,
    updated_time: meta.updatedTime,
    versions,
  };
}
