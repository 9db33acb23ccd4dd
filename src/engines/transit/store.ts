/**
 * Where transit keys live: `policy/<name>` in the mount's storage (seal-wrapped; see index.ts)
 * and `config/cache` for the cache size. Decoded keys are cached in memory (bounded by the
 * configured size, 0 = unbounded); every change runs under a per-key lock on a fresh copy read
 * from storage, so a failed write never leaves a half-changed key in the cache.
 */
import type { BarrierStorage } from '../../barrier/types.js';
import { InvalidRequest } from '../../errors.js';
import { decodeKey, encodeKey } from './key-codec.js';
import type { TransitKey } from './keyring.js';

export const POLICY_PREFIX = 'policy/';
export const CACHE_CONFIG_KEY = 'config/cache';
/** Vault refuses cache sizes between 1 and 9. */
export const MIN_CACHE_SIZE = 10;

export function createKeyStore(storage: Pick<BarrierStorage, 'get' | 'put' | 'delete' | 'list'>) {
  const cache = new Map<string, TransitKey>();
  const tails = new Map<string, Promise<unknown>>();
  let cacheSize: number | undefined;

  async function limit(): Promise<number> {
    if (cacheSize === undefined) {
      const raw = await storage.get(CACHE_CONFIG_KEY);
      cacheSize = raw ? Number((JSON.parse(raw.toString('utf8')) as { size?: unknown }).size ?? 0) || 0 : 0;
    }
    return cacheSize;
  }

  async function remember(key: TransitKey): Promise<void> {
    cache.delete(key.name);
    cache.set(key.name, key);
    const max = await limit();
    while (max > 0 && cache.size > max) cache.delete(cache.keys().next().value!);
  }

  async function readFresh(name: string): Promise<TransitKey | undefined> {
    const raw = await storage.get(POLICY_PREFIX + name);
    return raw ? decodeKey(raw) : undefined;
  }

  async function locked<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = tails.get(name) ?? Promise.resolve();
    const current = previous.catch(() => {}).then(work);
    const tail = current.catch(() => {});
    tails.set(name, tail);
    try {
      return await current;
    } finally {
      if (tails.get(name) === tail) tails.delete(name);
    }
  }

  return {
    async get(name: string): Promise<TransitKey | undefined> {
      const cached = cache.get(name);
      if (cached) return cached;
      const key = await readFresh(name);
      if (key) await remember(key);
      return key;
    },

    /** Runs `change` on a fresh copy under the key's lock and stores the result. */
    async update<T>(name: string, change: (key: TransitKey | undefined) => Promise<{ key: TransitKey; result: T } | undefined>): Promise<T | undefined> {
      return locked(name, async () => {
        const outcome = await change(await readFresh(name));
        if (!outcome) return undefined;
        await storage.put(POLICY_PREFIX + name, encodeKey(outcome.key));
        await remember(outcome.key);
        return outcome.result;
      });
    },

    async delete(name: string): Promise<void> {
      await locked(name, async () => {
        await storage.delete(POLICY_PREFIX + name);
        cache.delete(name);
      });
    },

    list: () => storage.list(POLICY_PREFIX),

    async cacheSize(): Promise<number> {
      return limit();
    },

    async setCacheSize(size: number): Promise<void> {
      if (size < 0 || (size > 0 && size < MIN_CACHE_SIZE)) throw new InvalidRequest(`size must be 0 or a value greater or equal to ${MIN_CACHE_SIZE}`);
      await storage.put(CACHE_CONFIG_KEY, Buffer.from(JSON.stringify({ size }), 'utf8'));
      cacheSize = size;
      cache.clear();
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
