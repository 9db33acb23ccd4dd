/**
 * Physical storage: bytes in, bytes out. Knows nothing about encryption.
 *
 * Listing follows Vault: `list(prefix)` returns the immediate children of `prefix` only,
 * sorted; a child that has descendants is returned once, with a trailing `/`.
 * A key may exist both as a leaf (`a`) and as a folder (`a/`).
 */
export interface Storage {
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, value: Buffer): Promise<void>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
  /** Release files and connections. Further calls fail. */
  close(): Promise<void>;
}

export type TxOperation =
  | { op: 'put'; key: string; value: Buffer }
  | { op: 'delete'; key: string };

/** Optional ability: apply several operations atomically, all or none. */
export interface Transactional {
  transaction(ops: readonly TxOperation[]): Promise<void>;
}

export function isTransactional(s: Storage): s is Storage & Transactional {
  return typeof (s as Partial<Transactional>).transaction === 'function';
}

/** Optional ability (HA): a named lock with a TTL, used for active/standby election. */
export interface HALock {
  /** Try to take or renew the lock. Returns the lock generation when held, undefined otherwise. */
  tryLock(holderId: string, value: string, ttlMs: number): Promise<number | undefined>;
  unlock(holderId: string): Promise<void>;
  /** Current holder's value (e.g. its api_addr), if any. */
  lockValue(): Promise<{ holderId: string; value: string } | undefined>;
}

export interface HABackend {
  haLock(name: string): HALock;
}

export function isHABackend(s: Storage): s is Storage & HABackend {
  return typeof (s as Partial<HABackend>).haLock === 'function';
}

/** Turns a flat sorted key set into Vault listing semantics. Shared by every implementation. */
export function childrenOf(prefix: string, keys: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    if (rest === '') continue;
    const slash = rest.indexOf('/');
    out.add(slash === -1 ? rest : rest.slice(0, slash + 1));
  }
  return [...out].sort();
}
