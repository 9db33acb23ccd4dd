/**
 * What the unsealer needs from a key store. Values are bytes (Bank-Vaults stores the key share
 * strings as returned by sys/init, and the root token, as their UTF-8 bytes).
 * Messages from stores name keys, never values.
 */
export interface KeyStore {
  /** Where the keys live, for log lines (no secrets). */
  readonly description: string;
  /** The value, or undefined when the store holds no such key. */
  get(name: string): Promise<Uint8Array | undefined>;
  /** Stores a new key; throws KeyExistsError rather than replace one that exists. */
  create(name: string, value: Uint8Array): Promise<void>;
  /** Removes a key; no error when it is absent. */
  delete(name: string): Promise<void>;
  close(): Promise<void>;
}

/** A key store refused or failed an operation. The message names the key, never its value. */
export class KeyStoreError extends Error {}

export class KeyExistsError extends KeyStoreError {
  constructor(readonly key: string, where: string) {
    super(`key store: "${key}" already exists in ${where}; refusing to overwrite it`);
  }
}
