/**
 * A bounded LRU of decrypted values in front of the barrier: hot reads (KV, tokens, policies)
 * skip the storage round trip and the AES-GCM open. Writes and deletes go through and
 * refresh or drop the entry; sealing empties it (and zeroes the cached buffers).
 *
 * A read that raced a write is never cached: each key carries a generation, bumped when a
 * write starts and when it ends, and a read only fills the cache if no write was in flight and
 * the generation it started with is still current. A write refreshes the entry only when no
 * other write to the key overlapped it; otherwise the entry is simply dropped.
 *
 * The byte budget counts what an entry really holds: its key, its value and a fixed overhead per
 * entry (the map slot, the Buffer and its backing store). Cached values are copied into memory of
 * their own: a small Buffer.from() is a slice of Node's shared 8 KiB pool, and a cached slice
 * keeps its whole slab alive (a "16 MiB" cache held ~90 MB after 100,000 distinct KV writes).
 */
import type { BarrierStorage, SecurityBarrier } from './types.js';

export interface ReadCacheOptions {
  /** Total bytes of cached values. */
  maxBytes?: number;
  /** Values larger than this are never cached. */
  maxEntryBytes?: number;
}

export const DEFAULT_CACHE_BYTES = 16 * 1024 * 1024;

/** Memory per entry besides key and value (measured: ~600 bytes of RSS per unpooled Buffer entry). */
export const ENTRY_OVERHEAD_BYTES = 512;

/** A copy that owns its memory (never a slice of the shared pool). */
function ownCopy(value: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(value.length);
  value.copy(copy);
  return copy;
}

export function withReadCache(barrier: SecurityBarrier, options: ReadCacheOptions = {}): SecurityBarrier & { invalidate(key: string): void; cacheStats(): { entries: number; bytes: number; tracked: number } } {
  const maxBytes = options.maxBytes ?? DEFAULT_CACHE_BYTES;
  const maxEntryBytes = options.maxEntryBytes ?? 64 * 1024;
  /**
   * One slot per key, updated in place: `value` undefined = nothing cached, null = known absent.
   * A hot key (a KV metadata entry, a busy token) is never deleted and re-added per request: V8
   * keeps each deleted Map entry in its bucket until the table is rehashed, so that pattern grew
   * one bucket chain by an entry per request and made every lookup of the key O(requests)
   * (measured: 46 → 230 µs per KV write as the cache filled).
   */
  const cache = new Map<string, { value: Buffer | null | undefined; hot: boolean }>();
  /** Keys with reads or writes in flight, and a generation bumped when a write starts and ends. */
  const pending = new Map<string, { reads: number; writes: number; generation: number }>();
  let bytes = 0;

  function setValue(slot: { value: Buffer | null | undefined }, value: Buffer | null | undefined): void {
    bytes -= slot.value ? slot.value.length : 0;
    slot.value?.fill(0);
    slot.value = value;
    bytes += value ? value.length : 0;
  }

  /** Forget the cached value (a write started, or another node changed the key); the slot stays. */
  function drop(key: string): void {
    const slot = cache.get(key);
    if (slot) setValue(slot, undefined);
  }

  function remember(key: string, value: Buffer | null): void {
    if (value && value.length > maxEntryBytes) {
      drop(key);
      return;
    }
    let slot = cache.get(key);
    if (!slot) {
      slot = { value: undefined, hot: false };
      cache.set(key, slot);
      bytes += key.length + ENTRY_OVERHEAD_BYTES;
    }
    setValue(slot, value);
    if (bytes > maxBytes) evict();
  }

  /**
   * Down to 7/8 of the budget, oldest slots first, through one iterator (see util/evict.ts);
   * a slot read since the last pass gets a second chance (its mark is cleared instead).
   */
  function evict(): void {
    const target = maxBytes - (maxBytes >> 3);
    for (let pass = 0; pass < 2 && bytes > target; pass++) {
      for (const [key, slot] of cache) {
        if (bytes <= target) break;
        if (slot.hot && pass === 0) {
          slot.hot = false;
          continue;
        }
        setValue(slot, undefined);
        cache.delete(key);
        bytes -= key.length + ENTRY_OVERHEAD_BYTES;
      }
    }
  }

  function track(key: string): { reads: number; writes: number; generation: number } {
    let entry = pending.get(key);
    if (!entry) {
      entry = { reads: 0, writes: 0, generation: 0 };
      pending.set(key, entry);
    }
    return entry;
  }

  /** Only keys with operations in flight are tracked, so the map stays as small as the concurrency. */
  function untrack(key: string, entry: { reads: number; writes: number }): void {
    if (entry.reads === 0 && entry.writes === 0 && pending.get(key) === entry) pending.delete(key);
  }

  async function write(key: string, apply: () => Promise<void>, after: Buffer | null): Promise<void> {
    const entry = track(key);
    entry.writes++;
    entry.generation++;
    drop(key);
    const mine = entry.generation;
    try {
      await apply();
    } finally {
      entry.writes--;
      entry.generation++;
      drop(key);
    }
    if (entry.writes === 0 && entry.generation === mine + 1) remember(key, after);
    untrack(key, entry);
  }

  function clear(): void {
    for (const slot of cache.values()) slot.value?.fill(0);
    cache.clear();
    pending.clear();
    bytes = 0;
  }

  const cached: SecurityBarrier & { invalidate(key: string): void; cacheStats(): { entries: number; bytes: number; tracked: number } } = {
    get sealed() { return barrier.sealed; },
    initialized: () => barrier.initialized(),
    initialize: (rootKey) => barrier.initialize(rootKey),
    unseal: async (rootKey) => { clear(); await barrier.unseal(rootKey); },
    reload: async () => { clear(); await barrier.reload(); },
    seal: () => { clear(); barrier.seal(); },
    rotate: () => barrier.rotate(),
    keyStatus: () => barrier.keyStatus(),
    rotationConfig: () => barrier.rotationConfig(),
    setRotationConfig: (config) => barrier.setRotationConfig(config),

    async get(key) {
      const slot = cache.get(key);
      const hit = slot?.value;
      if (hit !== undefined) {
        if (barrier.sealed) return barrier.get(key); // let the barrier raise SealedError
        slot!.hot = true;
        return hit === null ? undefined : Buffer.from(hit);
      }
      const entry = track(key);
      entry.reads++;
      const started = entry.generation;
      let value: Buffer | undefined;
      try {
        value = await barrier.get(key);
      } finally {
        entry.reads--;
      }
      if (entry.writes === 0 && entry.generation === started) remember(key, value ? ownCopy(value) : null);
      untrack(key, entry);
      return value;
    },

    put: (key, value) => write(key, () => barrier.put(key, value), ownCopy(value)),
    delete: (key) => write(key, () => barrier.delete(key), null),

    list: (prefix) => barrier.list(prefix),

    view(prefix: string): BarrierStorage {
      return {
        get: (key) => cached.get(prefix + key),
        put: (key, value) => cached.put(prefix + key, value),
        delete: (key) => cached.delete(prefix + key),
        list: (p) => cached.list(prefix + p),
      };
    },

    /** Drop one key (another node changed it). */
    invalidate: (key) => { const entry = pending.get(key); if (entry) entry.generation++; drop(key); },
    cacheStats: () => ({ entries: cache.size, bytes, tracked: pending.size }),
  };
  return cached;
}
