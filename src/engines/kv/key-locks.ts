/**
 * Per-key mutual exclusion for read-modify-write sequences on one secret (Vault's locksutil).
 * Work for the same key runs one after another; different keys run concurrently.
 */
export function createKeyLocks() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const current = previous.catch(() => {}).then(work);
      const tail = current.catch(() => {});
      tails.set(key, tail);
      try {
        return await current;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}

export type KeyLocks = ReturnType<typeof createKeyLocks>;
