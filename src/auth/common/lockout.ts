/**
 * User lockout after repeated failed logins (Vault's user lockout), shared by the auth methods
 * that support it (userpass, ldap, approle) and read by `sys/locked-users`.
 *
 * Failures are counted per (mount accessor, canonical alias): callers pass the name already
 * canonicalised with `canonicalAlias` (trim + lower case), so " Alice" and "alice" share one
 * counter (the 2025 lockout-bypass advisory). A locked alias is refused before its password is
 * checked. Counters live in memory, as Vault's do; locks are stored (see createLockoutTracker).
 */
import { parseDurationSeconds } from '../../util/duration.js';
import type { BarrierStorage } from '../../barrier/types.js';

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
  /** Set when the failures reached the threshold (unix seconds). */
  lockedAt?: number;
}

export interface LockedAlias {
  mountAccessor: string;
  alias: string;
}

/** Where locks are kept across restarts and nodes: Vault's `core/login/lockedUsers/<accessor>/<alias>`. */
export const LOCKED_USERS_PREFIX = 'core/login/lockedUsers/';

/**
 * Failure counters live in memory, as Vault's do; a lock itself is written to storage (when
 * given), so a restart or a failover to another node does not lift it early.
 */
export function createLockoutTracker(deps: { now?: () => number; storage?: BarrierStorage } = {}) {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  const { storage } = deps;
  /** mount accessor → canonical alias → failures. */
  const records = new Map<string, Map<string, FailureRecord>>();
  /** The last config each mount was checked with, for listing. */
  const configs = new Map<string, LockoutConfig>();

  const keyOf = (accessor: string, alias: string) => `${encodeURIComponent(accessor)}/${encodeURIComponent(alias)}`;

  function record(accessor: string, alias: string): FailureRecord | undefined {
    return records.get(accessor)?.get(alias);
  }

  async function forget(accessor: string, alias: string): Promise<boolean> {
    const perMount = records.get(accessor);
    const rec = perMount?.get(alias);
    perMount?.delete(alias);
    if (perMount && perMount.size === 0) records.delete(accessor);
    if (rec?.lockedAt !== undefined) await storage?.delete(keyOf(accessor, alias));
    return rec !== undefined;
  }

  function locked(rec: FailureRecord, config: LockoutConfig): boolean {
    return rec.lockedAt !== undefined && now() - rec.lockedAt < config.durationSeconds;
  }

  return {
    name: 'user lockout',

    /** Reads the stored locks (unseal, or becoming the active node). */
    async load(): Promise<void> {
      records.clear();
      if (!storage) return;
      for (const folder of await storage.list('')) {
        if (!folder.endsWith('/')) continue;
        const accessor = decodeURIComponent(folder.slice(0, -1));
        for (const name of await storage.list(folder)) {
          const raw = await storage.get(folder + name);
          const lockedAt = raw ? Number((JSON.parse(raw.toString('utf8')) as { locked_at?: unknown }).locked_at) : NaN;
          if (!Number.isFinite(lockedAt)) continue;
          let perMount = records.get(accessor);
          if (!perMount) records.set(accessor, (perMount = new Map()));
          perMount.set(decodeURIComponent(name), { count: 0, lastFailure: lockedAt, lockedAt });
        }
      }
    },

    async unload(): Promise<void> {
      records.clear();
      configs.clear();
    },

    /** True while the alias is locked; an expired lock is forgotten. */
    async isLocked(accessor: string, alias: string, config: LockoutConfig): Promise<boolean> {
      configs.set(accessor, config);
      if (config.disabled) return false;
      const rec = record(accessor, alias);
      if (!rec) return false;
      if (locked(rec, config)) return true;
      if (rec.lockedAt !== undefined) await forget(accessor, alias);
      return false;
    },

    /** Counts one failed login. Returns true when this failure locked the alias (the lock is stored first). */
    async recordFailure(accessor: string, alias: string, config: LockoutConfig): Promise<boolean> {
      configs.set(accessor, config);
      if (config.disabled) return false;
      let perMount = records.get(accessor);
      if (!perMount) records.set(accessor, (perMount = new Map()));
      const t = now();
      let rec = perMount.get(alias);
      if (!rec || t - rec.lastFailure >= config.counterResetSeconds) {
        rec = { count: 0, lastFailure: t };
        perMount.set(alias, rec);
      }
      rec.count += 1;
      rec.lastFailure = t;
      if (rec.count !== config.threshold) return false;
      rec.lockedAt = t;
      await storage?.put(keyOf(accessor, alias), Buffer.from(JSON.stringify({ locked_at: t })));
      return true;
    },

    /** A successful login clears the alias's failures. */
    async recordSuccess(accessor: string, alias: string): Promise<void> {
      await forget(accessor, alias);
    },

    /** Removes a lock (sys/locked-users/.../unlock). */
    unlock(accessor: string, alias: string): Promise<boolean> {
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
  };
}

export type LockoutTracker = ReturnType<typeof createLockoutTracker>;
