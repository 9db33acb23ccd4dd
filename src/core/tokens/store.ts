/**
 * The token store: creation, lookup by id or accessor, use counting, renewal and tree
 * revocation. Tokens are stored under a salted HMAC of their id; the salt lives in the barrier.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { BarrierStorage } from '../../barrier/types.js';
import { InvalidRequest } from '../../errors.js';
import { newAccessor, newServiceTokenId } from './ids.js';
import { TOKEN_ENTRY_VERSION, isExpired, type TokenEntry } from './entry.js';
import { BATCH_KEY_LENGTH, decodeBatchToken, encodeBatchToken, isBatchToken, type BatchPayload } from './batch.js';
import { remoteAddressAllowed } from './cidr.js';
import { makeRoom } from '../../util/evict.js';

const SALT_KEY = 'salt';
/** AES-256-GCM key that seals batch tokens; generated once, kept in the barrier. */
const BATCH_KEY = 'batch-key';
const CACHE_LIMIT = 10_000;

export interface CreateTokenParams {
  id?: string;
  parent: string;
  policies: string[];
  path: string;
  meta?: Record<string, string>;
  displayName: string;
  numUses?: number;
  ttl: number;
  explicitMaxTtl?: number;
  period?: number;
  renewable: boolean;
  entityId?: string;
  boundCidrs?: string[];
  noDefaultPolicy?: boolean;
  role?: string;
  authMount?: string;
  internal?: Record<string, unknown>;
  /** `batch` tokens are not persisted: the id is an encrypted, self-contained entry. */
  type?: 'service' | 'batch';
}

/** What `tidy` cleaned up. */
export interface TidyReport {
  danglingAccessors: number;
  orphanedChildren: number;
  danglingParentIndexes: number;
  expiredTokens: number;
}

export interface TokenStoreDeps {
  storage: BarrierStorage;
  now?: () => number; // unix seconds
  /** Called for each token as it is revoked (leases, cubbyhole). */
  onRevoke?: (entry: TokenEntry) => Promise<void>;
}

export function createTokenStore(deps: TokenStoreDeps) {
  const { storage } = deps;
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  let salt: Buffer | undefined;
  let batchKey: Buffer | undefined;
  const cache = new Map<string, TokenEntry>();
  /** Bumped by `forget`: a read that started before another node changed a token must not cache it. */
  let cacheGeneration = 0;
  /** HA standby: look up only; expired tokens are left for the active to revoke. */
  let readOnly = false;

  /** Recent HMACs, so a busy token is not re-hashed on every request (cleared with the salt). */
  const hashes = new Map<string, string>();

  function hash(value: string): string {
    if (!salt) throw new Error('token store not loaded');
    const known = hashes.get(value);
    if (known) return known;
    const digest = createHmac('sha256', salt).update(value).digest('hex');
    makeRoom(hashes, CACHE_LIMIT);
    hashes.set(value, digest);
    return digest;
  }

  function remember(entry: TokenEntry): void {
    makeRoom(cache, CACHE_LIMIT);
    cache.set(entry.hashedId, entry);
  }

  async function write(entry: TokenEntry): Promise<void> {
    await storage.put(`id/${entry.hashedId}`, Buffer.from(JSON.stringify(entry)));
    remember(entry);
  }

  async function readHashed(hashedId: string): Promise<TokenEntry | undefined> {
    const cached = cache.get(hashedId);
    if (cached) return cached;
    const startedAt = cacheGeneration;
    const raw = await storage.get(`id/${hashedId}`);
    if (!raw) return undefined;
    const entry = JSON.parse(raw.toString('utf8')) as TokenEntry;
    if (startedAt === cacheGeneration) remember(entry);
    return entry;
  }

  function batchEntry(id: string, payload: BatchPayload): TokenEntry {
    return {
      v: TOKEN_ENTRY_VERSION,
      hashedId: hash(id),
      accessor: '',
      parent: payload.parent,
      policies: payload.policies,
      path: payload.path,
      meta: payload.meta,
      displayName: payload.displayName,
      numUses: 0,
      creationTime: payload.creationTime,
      ttl: payload.ttl,
      explicitMaxTtl: 0,
      period: 0,
      expireTime: payload.ttl > 0 ? payload.creationTime + payload.ttl : 0,
      renewable: false,
      type: 'batch',
      entityId: payload.entityId,
      boundCidrs: payload.boundCidrs,
      noDefaultPolicy: payload.noDefaultPolicy,
      role: payload.role,
      authMount: payload.authMount,
    };
  }

  /** A stored token that is neither used up nor expired (expired ones are revoked on sight). */
  async function liveHashed(hashedId: string): Promise<TokenEntry | undefined> {
    const entry = await readHashed(hashedId);
    if (!entry || entry.numUses < 0) return undefined;
    if (isExpired(entry, now())) {
      if (!readOnly) await revokeHashed(entry.hashedId);
      return undefined;
    }
    return entry;
  }

  async function lookupBatch(id: string): Promise<TokenEntry | undefined> {
    if (!batchKey) return undefined;
    const payload = decodeBatchToken(batchKey, id);
    if (!payload) return undefined;
    const entry = batchEntry(id, payload);
    // Batch tokens always expire; one whose TTL is 0 would be a forgery of our own bug.
    if (entry.expireTime === 0 || isExpired(entry, now())) return undefined;
    if (entry.parent && !(await liveHashed(entry.parent))) return undefined;
    return entry;
  }

  async function revokeHashed(hashedId: string): Promise<void> {
    for (const child of await storage.list(`parent/${hashedId}/`)) {
      await revokeHashed(child);
    }
    const entry = await readHashed(hashedId);
    if (entry) {
      await deps.onRevoke?.(entry);
      await storage.delete(`accessor/${hash(entry.accessor)}`);
      if (entry.parent) await storage.delete(`parent/${entry.parent}/${hashedId}`);
    }
    await storage.delete(`id/${hashedId}`);
    cache.delete(hashedId);
  }

  return {
    async load(): Promise<void> {
      const existing = await storage.get(SALT_KEY);
      if (existing) salt = existing;
      else {
        salt = randomBytes(32);
        await storage.put(SALT_KEY, salt);
      }
      const existingBatchKey = await storage.get(BATCH_KEY);
      if (existingBatchKey && existingBatchKey.length === BATCH_KEY_LENGTH) batchKey = existingBatchKey;
      else {
        batchKey = randomBytes(BATCH_KEY_LENGTH);
        await storage.put(BATCH_KEY, batchKey);
      }
    },

    /** HA standby: the salt and batch key the active wrote; nothing is written. */
    async loadStandby(): Promise<void> {
      const existing = await storage.get(SALT_KEY);
      const existingBatchKey = await storage.get(BATCH_KEY);
      if (!existing || existingBatchKey?.length !== BATCH_KEY_LENGTH) throw new Error('token store not initialised by the active node yet');
      salt = existing;
      batchKey = existingBatchKey;
      readOnly = true;
    },

    /** Another node changed this token: drop the cached copy. */
    forget(hashedId: string): void {
      cacheGeneration++;
      cache.delete(hashedId);
    },

    unload(): void {
      readOnly = false;
      cacheGeneration++;
      salt?.fill(0);
      salt = undefined;
      hashes.clear();
      batchKey?.fill(0);
      batchKey = undefined;
      cache.clear();
    },

    hash,

    async create(params: CreateTokenParams): Promise<{ id: string; entry: TokenEntry }> {
      if (params.type === 'batch') {
        if (!batchKey) throw new Error('token store not loaded');
        if (params.id) throw new InvalidRequest('batch tokens cannot have a custom ID');
        if (!(params.ttl > 0)) throw new InvalidRequest('batch tokens must have a TTL');
        const payload: BatchPayload = {
          v: 1,
          parent: params.parent,
          policies: params.policies,
          path: params.path,
          meta: params.meta ?? {},
          displayName: params.displayName,
          creationTime: now(),
          ttl: params.ttl,
          entityId: params.entityId ?? '',
          boundCidrs: params.boundCidrs ?? [],
          noDefaultPolicy: params.noDefaultPolicy,
          role: params.role,
          authMount: params.authMount,
        };
        const id = encodeBatchToken(batchKey, payload);
        return { id, entry: batchEntry(id, payload) };
      }
      const id = params.id ?? newServiceTokenId();
      const hashedId = hash(id);
      if (params.id && (await readHashed(hashedId))) throw new InvalidRequest('cannot create a token with a duplicate ID');
      const created = now();
      const limit = [params.ttl, params.explicitMaxTtl ?? 0].filter((v) => v > 0);
      const effectiveTtl = limit.length > 0 ? Math.min(...limit) : 0;
      const entry: TokenEntry = {
        v: TOKEN_ENTRY_VERSION,
        hashedId,
        accessor: newAccessor(),
        parent: params.parent,
        policies: params.policies,
        path: params.path,
        meta: params.meta ?? {},
        displayName: params.displayName,
        numUses: params.numUses ?? 0,
        creationTime: created,
        ttl: effectiveTtl,
        explicitMaxTtl: params.explicitMaxTtl ?? 0,
        period: params.period ?? 0,
        expireTime: effectiveTtl > 0 ? created + effectiveTtl : 0,
        renewable: params.renewable,
        type: 'service',
        entityId: params.entityId ?? '',
        boundCidrs: params.boundCidrs ?? [],
        noDefaultPolicy: params.noDefaultPolicy,
        role: params.role,
        authMount: params.authMount,
        internal: params.internal,
      };
      // Issued together so group commit lands them in one storage transaction.
      await Promise.all([
        write(entry),
        storage.put(`accessor/${hash(entry.accessor)}`, Buffer.from(hashedId)),
        entry.parent ? storage.put(`parent/${entry.parent}/${hashedId}`, Buffer.alloc(0)) : undefined,
      ]);
      return { id, entry };
    },

    /**
     * Live entry for a token id, or undefined when unknown, expired or used up. Batch tokens
     * are decrypted (and need a live parent). With `remoteAddress`, a token bound to CIDRs
     * that do not contain it is refused as if it did not exist.
     */
    async lookup(id: string, remoteAddress?: string): Promise<TokenEntry | undefined> {
      if (!id || !salt) return undefined;
      const entry = isBatchToken(id) ? await lookupBatch(id) : await liveHashed(hash(id));
      if (!entry) return undefined;
      if (remoteAddress !== undefined && !remoteAddressAllowed(remoteAddress, entry.boundCidrs)) return undefined;
      return entry;
    },

    /**
     * `lookup` without waiting, for the request path: the live entry when the token is a service
     * token held in the cache and neither used up nor expired. Undefined means "not decided
     * here" (not cached, a batch token, expired, refused by its CIDRs): call `lookup`.
     */
    cachedLookup(id: string, remoteAddress?: string): TokenEntry | undefined {
      if (!id || !salt || isBatchToken(id)) return undefined;
      const entry = cache.get(hash(id));
      if (!entry || entry.numUses < 0 || isExpired(entry, now())) return undefined;
      if (remoteAddress !== undefined && !remoteAddressAllowed(remoteAddress, entry.boundCidrs)) return undefined;
      return entry;
    },

    /** The bound-CIDR check alone, for callers that already hold the entry. */
    allowsRemoteAddress(entry: TokenEntry, remoteAddress: string): boolean {
      return remoteAddressAllowed(remoteAddress, entry.boundCidrs);
    },

    async lookupHashed(hashedId: string): Promise<TokenEntry | undefined> {
      return readHashed(hashedId);
    },

    async lookupByAccessor(accessor: string): Promise<TokenEntry | undefined> {
      const hashedId = await storage.get(`accessor/${hash(accessor)}`);
      if (!hashedId) return undefined;
      const entry = await readHashed(hashedId.toString('utf8'));
      if (!entry || isExpired(entry, now())) return undefined;
      return entry;
    },

    /** Counts one use. Returns true when this was the token's last use (revoke after the request). */
    async use(entry: TokenEntry): Promise<boolean> {
      if (entry.numUses === 0 || entry.type === 'batch') return false;
      const remaining = entry.numUses - 1;
      const updated = { ...entry, numUses: remaining === 0 ? -1 : remaining };
      await write(updated);
      return remaining === 0;
    },

    async update(entry: TokenEntry): Promise<void> {
      if (entry.type === 'batch') throw new InvalidRequest('batch tokens cannot be modified');
      await write(entry);
    },

    /** Revokes the token and every descendant. */
    async revokeTree(entry: TokenEntry): Promise<void> {
      if (entry.type === 'batch') return; // nothing stored; it dies with its TTL or parent
      await revokeHashed(entry.hashedId);
    },

    /** Revokes only this token; its children become orphans. */
    async revokeOrphan(entry: TokenEntry): Promise<void> {
      if (entry.type === 'batch') return;
      for (const child of await storage.list(`parent/${entry.hashedId}/`)) {
        const childEntry = await readHashed(child);
        if (childEntry) await write({ ...childEntry, parent: '' });
        await storage.delete(`parent/${entry.hashedId}/${child}`);
      }
      await revokeHashed(entry.hashedId);
    },

    async listAccessors(): Promise<string[]> {
      const out: string[] = [];
      for (const key of await storage.list('id/')) {
        const entry = await readHashed(key);
        if (entry) out.push(entry.accessor);
      }
      return out;
    },

    async listHashedIds(): Promise<string[]> {
      return storage.list('id/');
    },

    /** hashedIds of the token's direct children. */
    async listChildren(entry: TokenEntry): Promise<string[]> {
      return storage.list(`parent/${entry.hashedId}/`);
    },

    /**
     * Removes index entries that point nowhere (accessors of missing tokens, parent indexes of
     * missing parents, whose surviving children become orphans) and revokes expired tokens.
     */
    async tidy(): Promise<TidyReport> {
      const report: TidyReport = { danglingAccessors: 0, orphanedChildren: 0, danglingParentIndexes: 0, expiredTokens: 0 };
      for (const key of await storage.list('accessor/')) {
        const target = await storage.get(`accessor/${key}`);
        if (!target || !(await storage.get(`id/${target.toString('utf8')}`))) {
          await storage.delete(`accessor/${key}`);
          report.danglingAccessors++;
        }
      }
      for (const folder of await storage.list('parent/')) {
        const parentId = folder.replace(/\/$/, '');
        const parentExists = (await storage.get(`id/${parentId}`)) !== undefined;
        for (const child of await storage.list(`parent/${parentId}/`)) {
          const childEntry = await readHashed(child);
          if (parentExists && childEntry) continue;
          if (childEntry && childEntry.parent === parentId) {
            await write({ ...childEntry, parent: '' });
            report.orphanedChildren++;
          }
          await storage.delete(`parent/${parentId}/${child}`);
          report.danglingParentIndexes++;
        }
      }
      for (const hashedId of await storage.list('id/')) {
        const entry = await readHashed(hashedId);
        if (entry && isExpired(entry, now())) {
          await revokeHashed(hashedId);
          report.expiredTokens++;
        }
      }
      return report;
    },

    now,
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;
