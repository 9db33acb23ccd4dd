/**
 * The expiration manager: every lease (dynamic secrets and expiring tokens) is stored in the
 * barrier, scheduled on one timer, revoked through its backend when it expires, retried with
 * capped exponential backoff when revocation fails (the attempt count and next retry are
 * persisted, so a restart does not forget them), and restored in the background at unseal.
 */
import { randomUUID } from 'node:crypto';
import type { BarrierStorage } from '../../barrier/types.js';
import { ArcaError, InvalidRequest, isArcaError } from '../../errors.js';
import type { LogicalRequest, LogicalResponse, Operation, SecretLease } from '../../framework/logical.js';
import type { LiveMount } from '../mounts/manager.js';
import type { LeaseRegistrar } from '../request/ports.js';
import type { TokenEntry } from '../tokens/entry.js';
import { LEASE_ENTRY_VERSION, decodeLease, dueTime, encodeLease, type LeaseEntry } from './entry.js';
import { isValidLeaseId, leaseIdFor, leaseKey, randomBase62 } from './ids.js';
import { createSchedule } from './schedule.js';
import { calculateTtl } from './ttl.js';

export interface ExpirationDeps {
  /** The manager's barrier view (the composition root uses `sys/expire/`). */
  storage: BarrierStorage;
  mounts: { byAccessor(accessor: string): LiveMount | undefined };
  /** Server-wide default and max lease TTL, seconds. */
  systemLimits: () => { defaultTtl: number; maxTtl: number };
  /** Revokes a token (and its children) by its salted hash; wired to the token store. */
  revokeToken?: (hashedId: string) => Promise<void>;
  /** Current token entry by salted hash: lets a renewed token outlive its old lease, and tidy find orphans. */
  lookupToken?: (hashedId: string) => Promise<TokenEntry | undefined>;
  /** Unix milliseconds. */
  now?: () => number;
  randomId?: () => string;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** First retry delay after a failed revocation; doubles per attempt up to `retryMaxMs`. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Leases read per event-loop turn while restoring. */
  restoreBatch?: number;
  /** Revocations running at once. */
  concurrency?: number;
}

export interface LeaseInfo {
  id: string;
  path: string;
  kind: LeaseEntry['kind'];
  issueTime: Date;
  expireTime: Date | null;
  lastRenewal: Date | null;
  renewable: boolean;
  /** Whole seconds left (0 when past due). */
  ttl: number;
  revokeError?: string;
}

export interface RenewResult {
  leaseId: string;
  ttl: number;
  renewable: boolean;
  data?: Record<string, unknown> | null;
  warnings: string[];
}

export interface RestoreState {
  done: boolean;
  restored: number;
  total: number;
}

const ENTRY_PREFIX = 'id/';
const TOKEN_INDEX_PREFIX = 'token/';

function errorText(err: unknown): string {
  return isArcaError(err) ? err.message : 'backend revocation failed';
}

export function createExpirationManager(deps: ExpirationDeps) {
  const { storage } = deps;
  const now = deps.now ?? (() => Date.now());
  const randomId = deps.randomId ?? (() => randomBase62());
  const log = deps.log ?? (() => {});
  const retryBaseMs = deps.retryBaseMs ?? 5_000;
  const retryMaxMs = deps.retryMaxMs ?? 10 * 60_000;
  const restoreBatch = deps.restoreBatch ?? 500;
  const concurrency = deps.concurrency ?? 8;

  let generation = 0;
  let loaded = false;
  const locks = new Map<string, Promise<void>>();
  const queue: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let running = 0;
  let restoreState: RestoreState = { done: true, restored: 0, total: 0 };
  let restored: Promise<void> = Promise.resolve();

  function newSchedule() {
    return createSchedule({ now, onDue: (ids) => { queue.push(...ids); pump(); } });
  }
  let activeSchedule = newSchedule();

  async function withLock<T>(leaseId: string, fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(leaseId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => { release = resolve; });
    const chained = previous.then(() => mine);
    locks.set(leaseId, chained);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (locks.get(leaseId) === chained) locks.delete(leaseId);
    }
  }

  async function read(leaseId: string): Promise<LeaseEntry | undefined> {
    if (!isValidLeaseId(leaseId)) return undefined;
    const raw = await storage.get(ENTRY_PREFIX + leaseId);
    return raw ? decodeLease(raw) : undefined;
  }

  async function write(entry: LeaseEntry): Promise<void> {
    await storage.put(ENTRY_PREFIX + entry.leaseId, encodeLease(entry));
  }

  function indexKey(tokenHash: string, leaseId: string): string {
    return `${TOKEN_INDEX_PREFIX}${tokenHash}/${leaseKey(leaseId)}`;
  }

  /** Removes the entry, its token index and its schedule. */
  async function forget(entry: LeaseEntry): Promise<void> {
    await storage.delete(ENTRY_PREFIX + entry.leaseId);
    if (entry.kind === 'secret' && entry.tokenHash) await storage.delete(indexKey(entry.tokenHash, entry.leaseId));
    activeSchedule.remove(entry.leaseId);
  }

  function backendRequest(mount: LiveMount, entry: LeaseEntry, operation: Operation): LogicalRequest {
    const relative = entry.path.startsWith(mount.prefix) ? entry.path.slice(mount.prefix.length) : '';
    return {
      id: randomUUID(),
      operation,
      path: entry.path,
      mountRelativePath: relative,
      mountPoint: mount.prefix,
      mountType: mount.entry.type,
      mountAccessor: mount.entry.accessor,
      data: {},
      clientToken: '',
      headers: {},
      remoteAddress: '',
      storage: mount.storage,
    };
  }

  function asSecretLease(entry: LeaseEntry): SecretLease {
    return {
      ttlSeconds: entry.ttl,
      maxTtlSeconds: entry.maxTtl,
      renewable: entry.renewable,
      internal: structuredClone(entry.internal),
      type: entry.secretType,
    };
  }

  function mountFor(entry: LeaseEntry): LiveMount {
    const mount = deps.mounts.byAccessor(entry.mountAccessor);
    if (!mount) throw new InvalidRequest('no mount found for the lease');
    return mount;
  }

  function mountLimits(mount: LiveMount | undefined): { defaultTtl: number; maxTtl: number } {
    const system = deps.systemLimits();
    return {
      defaultTtl: mount?.entry.config.defaultLeaseTtl || system.defaultTtl,
      maxTtl: mount?.entry.config.maxLeaseTtl || system.maxTtl,
    };
  }

  /** Asks the owner to revoke: the backend for a secret, the token store for a token. */
  async function revokeUpstream(entry: LeaseEntry): Promise<void> {
    if (entry.kind === 'token') {
      await deps.revokeToken?.(entry.tokenHash);
      return;
    }
    const mount = mountFor(entry);
    const secretType = mount.dispatcher.backend.secrets?.[entry.secretType];
    if (!secretType) return; // the backend declares nothing to revoke for this type
    await secretType.revoke(backendRequest(mount, entry, 'delete'), asSecretLease(entry));
  }

  async function recordFailure(entry: LeaseEntry, err: unknown): Promise<void> {
    const attempts = entry.revokeAttempts + 1;
    const delay = Math.min(retryBaseMs * 2 ** Math.min(attempts - 1, 30), retryMaxMs);
    const updated: LeaseEntry = { ...entry, revokeAttempts: attempts, nextRetryTime: now() + delay, revokeError: errorText(err) };
    await write(updated);
    activeSchedule.set(updated.leaseId, updated.nextRetryTime);
    log('warn', `expiration: revoking lease failed (attempt ${attempts}), retrying in ${delay} ms: ${errorText(err)}`);
  }

  /** Revokes an entry the caller holds the lock for. */
  async function revokeLocked(entry: LeaseEntry, force: boolean): Promise<void> {
    try {
      await revokeUpstream(entry);
    } catch (err) {
      if (!force) {
        await recordFailure(entry, err);
        throw err;
      }
      log('warn', `expiration: revocation failed but forced; deleting lease anyway: ${errorText(err)}`);
    }
    await forget(entry);
  }

  async function markDueNow(leaseId: string): Promise<boolean> {
    return withLock(leaseId, async () => {
      const entry = await read(leaseId);
      if (!entry) return false;
      const at = now();
      const updated: LeaseEntry = { ...entry, expireTime: Math.min(entry.expireTime || at, at), nextRetryTime: entry.revokeAttempts > 0 ? at : 0 };
      await write(updated);
      activeSchedule.set(leaseId, dueTime(updated));
      return true;
    });
  }

  async function processDue(leaseId: string, gen: number): Promise<void> {
    await withLock(leaseId, async () => {
      if (gen !== generation) return;
      const entry = await read(leaseId);
      if (!entry) return;
      const at = now();
      if (dueTime(entry) > at) {
        activeSchedule.set(leaseId, dueTime(entry));
        return;
      }
      if (entry.kind === 'token' && entry.revokeAttempts === 0 && deps.lookupToken) {
        const token = await deps.lookupToken(entry.tokenHash);
        if (token && token.expireTime === 0) {
          await forget(entry); // no longer expires: nothing to schedule
          return;
        }
        if (token && token.expireTime * 1000 > at) {
          const renewed: LeaseEntry = { ...entry, expireTime: token.expireTime * 1000, lastRenewalTime: at };
          await write(renewed);
          activeSchedule.set(leaseId, renewed.expireTime);
          return;
        }
      }
      try {
        await revokeLocked(entry, false);
      } catch {
        /* recorded and rescheduled by revokeLocked */
      }
    });
  }

  function pump(): void {
    while (running < concurrency && queue.length > 0) {
      const leaseId = queue.shift()!;
      const gen = generation;
      running++;
      const job = processDue(leaseId, gen)
        .catch((err: unknown) => {
          if (gen === generation) log('error', `expiration: processing a due lease failed: ${errorText(err)}`);
        })
        .finally(() => {
          running--;
          inFlight.delete(job);
          pump();
        });
      inFlight.add(job);
    }
  }

  async function collectIds(prefix: string, out: string[]): Promise<void> {
    for (const key of await storage.list(ENTRY_PREFIX + prefix)) {
      if (key.endsWith('/')) await collectIds(prefix + key, out);
      else out.push(prefix + key);
    }
  }

  const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  async function restore(gen: number): Promise<void> {
    const ids: string[] = [];
    await collectIds('', ids);
    if (gen !== generation) return;
    restoreState = { done: false, restored: 0, total: ids.length };
    for (let i = 0; i < ids.length; i += restoreBatch) {
      await yieldTurn();
      if (gen !== generation) return;
      const items: [string, number][] = [];
      for (const id of ids.slice(i, i + restoreBatch)) {
        try {
          const raw = await storage.get(ENTRY_PREFIX + id);
          if (!raw) continue;
          const entry = decodeLease(raw);
          if (!activeSchedule.has(id)) items.push([id, dueTime(entry)]);
        } catch (err) {
          log('error', `expiration: a lease entry could not be restored: ${errorText(err)}`);
        }
      }
      if (gen !== generation) return;
      activeSchedule.setMany(items);
      restoreState = { ...restoreState, restored: Math.min(ids.length, i + restoreBatch) };
    }
    restoreState = { ...restoreState, done: true };
    log('info', `expiration: restored ${ids.length} leases`);
  }

  function requireLoaded(): void {
    if (!loaded) throw new ArcaError('expiration manager is not loaded');
  }

  const manager = {
    name: 'expiration',

    /** Returns at once; leases are restored in the background (see `restored`). */
    async load(): Promise<void> {
      generation++;
      loaded = true;
      activeSchedule = newSchedule();
      const gen = generation;
      restoreState = { done: false, restored: 0, total: 0 };
      restored = restore(gen).catch((err: unknown) => {
        log('error', `expiration: restoring leases failed: ${errorText(err)}`);
        restoreState = { ...restoreState, done: true };
      });
    },

    /** Stops timers and waits for revocations in progress; queued work is dropped (it is persisted). */
    async unload(): Promise<void> {
      generation++;
      loaded = false;
      activeSchedule.stop();
      queue.length = 0;
      await Promise.allSettled([...inFlight]);
      await restored;
    },

    /** Resolves when the restore started by the last `load()` has finished. */
    get restored(): Promise<void> {
      return restored;
    },

    restoreState(): RestoreState {
      return { ...restoreState };
    },

    /** Leases currently scheduled (tests, metrics). */
    scheduledCount(): number {
      return activeSchedule.size;
    },

    async registerSecret(req: LogicalRequest, response: LogicalResponse, mount: LiveMount): Promise<{ leaseId: string; ttl: number }> {
      requireLoaded();
      const secret = response.secret;
      if (!secret) throw new ArcaError('no secret to register');
      const limits = mountLimits(mount);
      const issued = now();
      const ttl = calculateTtl({
        now: issued,
        incrementSeconds: 0,
        backendTtlSeconds: secret.ttlSeconds,
        backendMaxTtlSeconds: secret.maxTtlSeconds ?? 0,
        defaultTtlSeconds: limits.defaultTtl,
        maxTtlSeconds: limits.maxTtl,
        issueTime: issued,
      });
      if (ttl.warnings.length > 0) response.warnings = [...(response.warnings ?? []), ...ttl.warnings];
      const leaseId = leaseIdFor(req.path, randomId());
      const entry: LeaseEntry = {
        v: LEASE_ENTRY_VERSION,
        leaseId,
        kind: 'secret',
        path: req.path.replace(/\/+$/, ''),
        mountAccessor: mount.entry.accessor,
        secretType: secret.type,
        internal: secret.internal ?? {},
        renewable: secret.renewable,
        ttl: ttl.ttlSeconds,
        maxTtl: secret.maxTtlSeconds ?? 0,
        issueTime: issued,
        maxExpireTime: ttl.maxExpireTime,
        expireTime: ttl.expireTime,
        lastRenewalTime: 0,
        tokenHash: req.caller?.tokenId ?? '',
        revokeAttempts: 0,
        nextRetryTime: 0,
      };
      await write(entry);
      if (entry.tokenHash) await storage.put(indexKey(entry.tokenHash, leaseId), Buffer.from(leaseId));
      activeSchedule.set(leaseId, entry.expireTime);
      return { leaseId, ttl: ttl.ttlSeconds };
    },

    /** Gives an expiring service token a lease so it is revoked on time. Idempotent (call again after renewal). */
    async registerToken(token: TokenEntry): Promise<void> {
      requireLoaded();
      if (token.type === 'batch') return;
      const leaseId = leaseIdFor(token.path || 'auth/token/create', token.hashedId);
      await withLock(leaseId, async () => {
        const existing = await read(leaseId);
        if (token.expireTime === 0) {
          if (existing) await forget(existing);
          return;
        }
        const at = now();
        const expireTime = token.expireTime * 1000;
        const entry: LeaseEntry = {
          v: LEASE_ENTRY_VERSION,
          leaseId,
          kind: 'token',
          path: leaseId.slice(0, leaseId.lastIndexOf('/')),
          mountAccessor: '',
          secretType: '',
          internal: {},
          renewable: token.renewable,
          ttl: Math.max(1, Math.ceil((expireTime - at) / 1000)),
          maxTtl: token.explicitMaxTtl,
          issueTime: existing?.issueTime ?? token.creationTime * 1000,
          maxExpireTime: expireTime,
          expireTime,
          lastRenewalTime: existing ? at : 0,
          tokenHash: token.hashedId,
          revokeAttempts: 0,
          nextRetryTime: 0,
        };
        await write(entry);
        activeSchedule.set(leaseId, expireTime);
      });
    },

    async lookup(leaseId: string): Promise<LeaseInfo | undefined> {
      const entry = await read(leaseId);
      if (!entry) return undefined;
      const at = now();
      return {
        id: entry.leaseId,
        path: entry.path,
        kind: entry.kind,
        issueTime: new Date(entry.issueTime),
        expireTime: entry.expireTime ? new Date(entry.expireTime) : null,
        lastRenewal: entry.lastRenewalTime ? new Date(entry.lastRenewalTime) : null,
        renewable: entry.renewable && entry.revokeAttempts === 0 && entry.expireTime > at,
        ttl: entry.expireTime ? Math.max(0, Math.floor((entry.expireTime - at) / 1000)) : 0,
        revokeError: entry.revokeError,
      };
    },

    /** The stored entry itself (tests, diagnostics). */
    async entry(leaseId: string): Promise<LeaseEntry | undefined> {
      return read(leaseId);
    },

    /** Leases whose last revocation failed (Vault's "irrevocable" leases); they are still retried. */
    async failedRevocations(): Promise<LeaseEntry[]> {
      const ids: string[] = [];
      await collectIds('', ids);
      const failed: LeaseEntry[] = [];
      for (const id of ids) {
        const entry = await read(id);
        if (entry?.revokeError) failed.push(entry);
      }
      return failed;
    },

    /** Immediate children under a lease-id prefix (`a/b/` lists `c`, `d/`). */
    async list(prefix: string): Promise<string[]> {
      const clean = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
      if (clean !== '' && !isValidLeaseId(clean.slice(0, -1))) return [];
      return storage.list(ENTRY_PREFIX + clean);
    },

    async renew(leaseId: string, incrementSeconds: number): Promise<RenewResult> {
      requireLoaded();
      if (incrementSeconds < 0) throw new InvalidRequest('increment must not be negative');
      return withLock(leaseId, async () => {
        const entry = await read(leaseId);
        const at = now();
        if (!entry) throw new InvalidRequest('lease not found');
        if (entry.revokeAttempts > 0) throw new InvalidRequest('lease is expired and has failed previous revocation attempts');
        if (entry.expireTime <= at) throw new InvalidRequest('lease expired');
        if (!entry.renewable) throw new InvalidRequest('lease is not renewable');
        if (entry.kind === 'token') throw new InvalidRequest('tokens cannot be renewed through this endpoint');

        const mount = mountFor(entry);
        const secretType = mount.dispatcher.backend.secrets?.[entry.secretType];
        let renewed: SecretLease = { ...asSecretLease(entry), ttlSeconds: incrementSeconds };
        if (secretType?.renew) renewed = await secretType.renew(backendRequest(mount, entry, 'update'), asSecretLease(entry), incrementSeconds);
        const limits = mountLimits(mount);
        const ttl = calculateTtl({
          now: at,
          incrementSeconds,
          backendTtlSeconds: renewed.ttlSeconds,
          backendMaxTtlSeconds: renewed.maxTtlSeconds ?? entry.maxTtl,
          defaultTtlSeconds: limits.defaultTtl,
          maxTtlSeconds: limits.maxTtl,
          issueTime: entry.issueTime,
          maxExpireTime: entry.maxExpireTime,
        });
        const updated: LeaseEntry = {
          ...entry,
          internal: renewed.internal ?? entry.internal,
          renewable: renewed.renewable,
          ttl: ttl.ttlSeconds,
          maxTtl: renewed.maxTtlSeconds ?? entry.maxTtl,
          expireTime: ttl.expireTime,
          lastRenewalTime: at,
        };
        await write(updated);
        activeSchedule.set(leaseId, updated.expireTime);
        return { leaseId, ttl: ttl.ttlSeconds, renewable: updated.renewable, warnings: ttl.warnings };
      });
    },

    /**
     * Revokes one lease. `sync` (default) calls the backend now and throws its error (the lease
     * stays and is retried); otherwise the lease is marked due and revoked in the background.
     * Returns false when no such lease exists.
     */
    async revoke(leaseId: string, options: { sync?: boolean; force?: boolean } = {}): Promise<boolean> {
      requireLoaded();
      if (options.sync === false) return markDueNow(leaseId);
      return withLock(leaseId, async () => {
        const entry = await read(leaseId);
        if (!entry) return false;
        await revokeLocked(entry, options.force ?? false);
        return true;
      });
    },

    /**
     * Revokes every lease under a prefix (whole path segments: `a/b` covers `a/b/...`, not `a/bc`);
     * a prefix that is itself a lease id revokes that lease. `force` deletes without the backend's
     * agreement; otherwise the first failure stops the sweep and is thrown.
     */
    async revokePrefix(prefix: string, options: { force?: boolean; sync?: boolean } = {}): Promise<number> {
      requireLoaded();
      const force = options.force ?? false;
      const sync = force || (options.sync ?? true);
      let folder = prefix.replace(/^\/+/, '');
      if (folder !== '' && !folder.endsWith('/')) {
        if (await read(folder)) {
          await manager.revoke(folder, { sync, force });
          return 1;
        }
        folder += '/';
      }
      if (folder !== '' && !isValidLeaseId(folder.slice(0, -1))) throw new InvalidRequest('invalid lease prefix');
      const ids: string[] = [];
      await collectIds(folder, ids);
      for (const id of ids) {
        if (sync) await manager.revoke(id, { sync: true, force });
        else await markDueNow(id);
      }
      return ids.length;
    },

    /**
     * Called as a token is revoked: every lease created with it is queued for revocation
     * (failures are retried, never dropped), and the token's own lease entry is removed.
     */
    async revokeByToken(token: TokenEntry): Promise<void> {
      if (!loaded) return;
      const folder = `${TOKEN_INDEX_PREFIX}${token.hashedId}/`;
      for (const key of await storage.list(folder)) {
        const raw = await storage.get(folder + key);
        if (raw) await markDueNow(raw.toString('utf8'));
        await storage.delete(folder + key);
      }
      // No lock: this runs inside the token lease's own revocation (revokeToken → onRevoke).
      const own = await read(leaseIdFor(token.path || 'auth/token/create', token.hashedId));
      if (own) await forget(own);
    },

    /**
     * Removes dangling state: by-token index entries whose lease is gone, and secret leases whose
     * token no longer exists (queued for revocation, as Vault's tidy does).
     */
    async tidy(): Promise<{ revoked: number; indexesRemoved: number }> {
      requireLoaded();
      let revoked = 0;
      let indexesRemoved = 0;
      for (const tokenFolder of await storage.list(TOKEN_INDEX_PREFIX)) {
        const folder = TOKEN_INDEX_PREFIX + tokenFolder;
        for (const key of await storage.list(folder)) {
          const raw = await storage.get(folder + key);
          if (!raw || !(await read(raw.toString('utf8')))) {
            await storage.delete(folder + key);
            indexesRemoved++;
          }
        }
      }
      if (deps.lookupToken) {
        const ids: string[] = [];
        await collectIds('', ids);
        for (const id of ids) {
          const entry = await read(id);
          if (!entry || entry.kind !== 'secret' || !entry.tokenHash) continue;
          const token = await deps.lookupToken(entry.tokenHash);
          if (!token || (token.expireTime !== 0 && token.expireTime * 1000 <= now())) {
            if (await markDueNow(id)) revoked++;
          }
        }
      }
      return { revoked, indexesRemoved };
    },
  };
  return manager satisfies LeaseRegistrar;
}

export type ExpirationManager = ReturnType<typeof createExpirationManager>;
