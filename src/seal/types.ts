/**
 * A seal protects the barrier's root key.
 *
 * - Shamir: the root key is wrapped with a key-encryption key that exists only while enough
 *   unseal shares have been combined; `wrapper` is built from that combined key.
 * - Auto-seals (pkcs11, transit, cloud KMS): the device or service wraps the root key itself,
 *   so a restart unseals with no human; recovery shares then only authorise operations.
 *
 * The same wrapper also does seal wrapping of critical barrier entries.
 */
export type SealType = 'shamir' | 'pkcs11' | 'transit' | 'awskms' | 'azurekeyvault' | 'gcpckms';

/** Encrypts and decrypts small values (root key, recovery key, seal-wrapped entries). */
export interface SealWrapper {
  /** Returns a self-describing, versioned blob that records which key made it. */
  encrypt(plaintext: Uint8Array, aad?: Uint8Array): Promise<Uint8Array>;
  /** Throws IntegrityError on any tampering; never reveals why. */
  decrypt(blob: Uint8Array, aad?: Uint8Array): Promise<Uint8Array>;
}

export interface Seal {
  readonly type: SealType;
  /** True for seals that unseal by themselves and use recovery keys. */
  readonly autoUnseal: boolean;
  /** Opens sessions/connections and checks the key exists (or generates it). */
  init(): Promise<void>;
  /** Wrapper for the root key. Shamir: only after `setUnsealKey`. */
  wrapper(): SealWrapper;
  /** Optional entropy source (HSM C_GenerateRandom). */
  random?(length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Stored plaintext at `core/seal-config` and `core/recovery-config` (needed while sealed). */
export interface SealConfig {
  type: SealType;
  secret_shares: number;
  secret_threshold: number;
  /** Random id of the current key generation; changes on rekey. */
  nonce: string;
}
