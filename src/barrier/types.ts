/**
 * The security barrier: everything above it sees plaintext, everything below (storage/) sees
 * only AES-256-GCM ciphertext bound to its storage path.
 */
export interface KeyStatus {
  term: number;
  installTime: Date;
  encryptions: number;
}

export interface RotationConfig {
  /** Rotate after this many encryptions with one term. Default 3_865_470_566, min 1_000_000. */
  maxOperations: number;
  /** Rotate after this long (ms); 0 = never by time. Minimum 24h when set. */
  intervalMs: number;
  enabled: boolean;
}

/** Encrypted key/value access: the same shape as Storage, minus close. */
export interface BarrierStorage {
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, value: Buffer): Promise<void>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
}

export interface SecurityBarrier extends BarrierStorage {
  /** True until `initialize` has written a keyring. */
  initialized(): Promise<boolean>;
  /** Create the keyring (term 1) encrypted with `rootKey`. Leaves the barrier sealed. */
  initialize(rootKey: Uint8Array): Promise<void>;
  /** Decrypt the keyring with `rootKey`. Throws IntegrityError on a wrong key. */
  unseal(rootKey: Uint8Array): Promise<void>;
  /**
   * Re-read the keyring from storage with the root key held in memory: a node that becomes
   * active (HA) picks up terms another node added while it was standby.
   */
  reload(): Promise<void>;
  /** Forget every key (zeroed). */
  seal(): void;
  readonly sealed: boolean;
  /** Add a new term; old terms still decrypt. Returns the new term. */
  rotate(): Promise<number>;
  keyStatus(): KeyStatus;
  rotationConfig(): RotationConfig;
  setRotationConfig(config: RotationConfig): Promise<void>;
  /** A view confined to `prefix`: keys are relative, nothing outside it is reachable. */
  view(prefix: string): BarrierStorage;
}
