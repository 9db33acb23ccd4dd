/**
 * User lockout after repeated failed logins (Vault's user lockout), shared by the auth methods
 * that support it (userpass, ldap, approle) and read by `sys/locked-users`.
 *
 * Failures are counted per (mount accessor, canonical alias): callers pass the name already
 * canonicalised with `canonicalAlias` (trim + lower case), so " Alice" and "alice" share one
 * counter (the 2025 lockout-bypass advisory). A locked alias is refused before its password is
 * checked. Counters live in memory: a restart forgets them, as Vault's unpersisted counters do.
 */
import { parseDurationSeconds } from '../../util/duration.js';

export interface LockoutConfig {
  threshold: number;
  durationSeconds: number;
  counterResetSeconds: number;
  disabled: boolean;
}

/** Vault's defaults: 5 failures, locked 15 minutes, counter reset after 15 minutes. */
export const DEFAULT_LOCKOUT: LockoutConfig = { threshold: 5, durationSeconds: 900, counterResetSeconds: 900, disabled: false };

/** The canonical form failures are counted on. */
export function canonicalAlias(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * The effective configuration of a mount: its tuned `user_lockout_config` (stored on the
 * entry's config as `userLockoutConfig`, Vault's field names) over the defaults.
 */
export function lockoutConfigOf(mountConfig: object, defaults: LockoutConfig = DEFAULT_LOCKOUT): LockoutConfig {
  const raw = (mountConfig as { userLockoutConfig?: Record<string, unknown> }).userLockoutConfig;
  if (!raw || typeof raw !== 'object') return defaults;
  const seconds = (v: unknown, fallback: number) => {
    const parsed = v === undefined || v === '' ? undefined : parseDurationSeconds(v);
    return parsed !== undefined && parsed > 0 ? parsed : fallback;
  };
  const threshold = Number(raw.lockout_threshold);
  return {
    threshold: Number.isInteger(threshold) && threshold > 0 ? threshold : defaults.threshold,
    durationSeconds: seconds(raw.lockout_duration, defaults.durationSeconds),
    counterResetSeconds: seconds(raw.lockout_counter_reset, defaults.counterResetSeconds),
    disabled: raw.lockout_disable === true || raw.lockout_disable === 'true' ? true : defaults.disabled,
  };
}

interface FailureRecord {
  count: number;
  lastFailure: number; // unix seconds
}

export interface LockedAlias {
  mountAccessor: string;
  alias: string;
}

export function createLockoutTracker(deps: { now?: () => number } = {}) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  /** mount accessor → canonical alias → failures. */
  const records = new Map<string, Map<string, FailureRecord>>();
  /** The last config each mount was checked with, for listing. */
  const configs = new Map<string, LockoutConfig>();

  function record(accessor: string, alias: string): FailureRecord | undefined {
    return records.get(accessor)?.get(alias);
  }

  function forget(accessor: string, alias: string): boolean {
    const perMount = records.get(accessor);
    const had = perMount?.delete(alias) ?? false;
    if (perMount && perMount.size === 0) records.delete(accessor);
    return had;
  }

  function locked(rec: FailureRecord, config: LockoutConfig): boolean {
    return rec.count >= config.threshold && now() - rec.lastFailure < config.durationSeconds;
  }

  return {
    /** True while the alias is locked; an expired lock is forgotten. */
    isLocked(accessor: string, alias: string, config: LockoutConfig): boolean {
      configs.set(accessor, config);
      if (config.disabled) return false;
      const rec = record(accessor, alias);
      if (!rec) return false;
      if (locked(rec, config)) return true;
      if (rec.count >= config.threshold) forget(accessor, alias);
      return false;
    },

    /** Counts one failed login. Returns true when this failure locked the alias. */
    recordFailure(accessor: string, alias: string, config: LockoutConfig): boolean {
      configs.set(accessor, config);
      if (config.disabled) return false;
      let perMount = records.get(accessor);
      if (!perMount) records.set(accessor, (perMount = new Map()));
      const rec = perMount.get(alias);
      const t = now();
      if (!rec || t - rec.lastFailure >= config.counterResetSeconds) {
        perMount.set(alias, { count: 1, lastFailure: t });
        return config.threshold <= 1;
      }
      rec.count += 1;
      rec.lastFailure = t;
      return rec.count === config.threshold;
    },

    /** A successful login clears the alias's failures. */
    recordSuccess(accessor: string, alias: string): void {
      forget(accessor, alias);
    },

    /** Removes a lock (sys/locked-users/.../unlock). */
    unlock(accessor: string, alias: string): boolean {
      return forget(accessor, alias);
    },

    /** Currently locked aliases, by mount accessor. */
    listLocked(mountAccessor?: string): LockedAlias[] {
      const out: LockedAlias[] = [];
      for (const [accessor, perMount] of records) {
        if (mountAccessor !== undefined && accessor !== mountAccessor) continue;
        const config = configs.get(accessor) ?? DEFAULT_LOCKOUT;
        for (const [alias, rec] of perMount) if (locked(rec, config)) out.push({ mountAccessor: accessor, alias });
      }
      return out;
    },

    /** Drop everything of a mount (unmount). */
    forgetMount(accessor: string): void {
      records.delete(accessor);
      configs.delete(accessor);
    },
  };
}

export type LockoutTracker = ReturnType<typeof createLockoutTracker>;
