/**
 * The AES-256-GCM security barrier (Vault's design, SEALS.md §7).
 *
 * - `core/keyring`: the keyring JSON encrypted with the root key (entry term 0), path as AAD.
 * - `core/root-key`: the root key encrypted with the active term, path as AAD.
 * - Every other value: encrypted with the active term's key, its storage path as AAD, so a
 *   value copied to another path, or any changed byte, fails with IntegrityError.
 *
 * Encryption counts: each term counts its encryptions. The keyring (with the counts) is
 * persisted on rotation, on config change and after every COUNT_PERSIST_INTERVAL encryptions,
 * so a crash can lose at most COUNT_PERSIST_INTERVAL - 1 counted encryptions (plus those of
 * puts in flight at the crash). To stay on the safe side, unseal adds COUNT_PERSIST_INTERVAL
 * to the active term's stored count: the count in memory is never lower than the truth.
 *
 * Automatic rotation is checked before each encryption: when the active term has reached
 * `maxOperations`, or is older than `intervalMs` (when set), a new term is added first.
 * The barrier accepts any positive `maxOperations`; Vault's 1 000 000 floor is enforced by
 * `sys/rotate/config`, so tests can exercise rotation with small numbers.
 */
import { randomBytes as systemRandomBytes } from 'node:crypto';
import { ArcaError, InvalidRequest, IntegrityError, NotInitialized, SealedError, StorageError } from '../errors.js';
import { AES_256_KEY_LENGTH, aeadOpen, aeadSeal } from '../crypto/aead.js';
import { constantTimeEqual } from '../crypto/compare.js';
import { isTransactional, type Storage, type TxOperation } from '../storage/types.js';
import { decodeEntry, encodeEntry, ENTRY_VERSION_PATH_AAD, ROOT_KEY_TERM } from './entry-format.js';
import { activeKey, addTerm, decodeKeyring, DEFAULT_MAX_OPERATIONS, encodeKeyring, newKeyring, zeroKeyring, type Keyring, type TermKey } from './keyring.js';
import { decodeRootKeyEntry, encodeRootKeyEntry } from './root-key-entry.js';
import type { BarrierStorage, KeyStatus, RotationConfig, SecurityBarrier } from './types.js';

export const KEYRING_PATH = 'core/keyring';
export const ROOT_KEY_PATH = 'core/root-key';
/** Physical paths only the barrier (or the seal, in plaintext) may write. */
export const RESERVED_PATHS: ReadonlySet<string> = new Set([
  KEYRING_PATH,
  ROOT_KEY_PATH,
  'core/seal-config',
  'core/recovery-config',
  'core/hsm/barrier-unseal-keys',
  'core/recovery-key',
]);
export const COUNT_PERSIST_INTERVAL = 10_000;

export interface AesGcmBarrierOptions {
  /** Source of key material; entropy augmentation plugs in here. Default: system CSPRNG. */
  random?: (n: number) => Promise<Buffer>;
  now?: () => Date;
}

/** Encrypts `plaintext` for `path` with `key` under `term` into a barrier entry. */
export function sealEntry(key: Uint8Array, term: number, path: string, plaintext: Uint8Array): Buffer {
  const { nonce, ciphertext } = aeadSeal(key, plaintext, Buffer.from(path, 'utf8'));
  return encodeEntry({ term, version: ENTRY_VERSION_PATH_AAD, nonce, ciphertext });
}

/** Decrypts a barrier entry read from `path` with the key `keyFor(term)` picks. */
export function openEntry(blob: Uint8Array, path: string, keyFor: (term: number) => Uint8Array | undefined): Buffer {
  const entry = decodeEntry(blob);
  const key = keyFor(entry.term);
  if (key === undefined) throw new IntegrityError();
  return aeadOpen(key, entry.nonce, entry.ciphertext, Buffer.from(path, 'utf8'));
}

function checkRootKey(rootKey: Uint8Array): void {
  if (!(rootKey instanceof Uint8Array) || rootKey.length !== AES_256_KEY_LENGTH) {
    throw new InvalidRequest('root key must be 32 bytes');
  }
}

function checkRotationConfig(config: RotationConfig): void {
  if (!Number.isSafeInteger(config.maxOperations) || config.maxOperations < 1 || config.maxOperations > DEFAULT_MAX_OPERATIONS) {
    throw new InvalidRequest(`max_operations must be between 1 and ${DEFAULT_MAX_OPERATIONS}`);
  }
  if (!Number.isSafeInteger(config.intervalMs) || config.intervalMs < 0) {
    throw new InvalidRequest('interval must not be negative');
  }
  if (typeof config.enabled !== 'boolean') throw new InvalidRequest('enabled must be a boolean');
}

class AesGcmBarrier implements SecurityBarrier {
  private keyring: Keyring | undefined;
  /** Count of the active term at the last persist. */
  private persistedCount = 0;
  /** Serialises keyring writes (rotation, config, count persistence). */
  private chain: Promise<void> = Promise.resolve();
  private readonly random: (n: number) => Promise<Buffer>;
  private readonly now: () => Date;

  constructor(private readonly storage: Storage, opts: AesGcmBarrierOptions) {
    this.random = opts.random ?? (async (n) => systemRandomBytes(n));
    this.now = opts.now ?? (() => new Date());
  }

  get sealed(): boolean {
    return this.keyring === undefined;
  }

  async initialized(): Promise<boolean> {
    return (await this.storage.get(KEYRING_PATH)) !== undefined;
  }

  async initialize(rootKey: Uint8Array): Promise<void> {
    checkRootKey(rootKey);
    if (await this.initialized()) throw new InvalidRequest('Vault is already initialized');
    const firstKey = await this.randomKey();
    const keyring = newKeyring(rootKey, firstKey, this.now());
    firstKey.fill(0);
    try {
      await this.writeKeyring(keyring, true);
    } finally {
      zeroKeyring(keyring);
    }
  }

  async unseal(rootKey: Uint8Array): Promise<void> {
    checkRootKey(rootKey);
    if (this.keyring !== undefined) return;
    const keyring = await this.readKeyring(rootKey);
    if (this.keyring !== undefined) {
      // a concurrent unseal won while we read storage
      zeroKeyring(keyring);
      return;
    }
    this.install(keyring);
  }

  /**
   * Re-reads the stored keyring (another node rotated it) and swaps it in with no sealed moment
   * in between: requests arriving meanwhile use the keyring being replaced. (An HA standby
   * reloads whenever its view is rebuilt; a sealed moment answered its clients "Vault is
   * sealed".) The old keyring is zeroed once operations that already hold one of its keys have
   * used it. A failed reload leaves the barrier sealed, as before.
   */
  async reload(): Promise<void> {
    const current = this.unsealedKeyring();
    const rootKey = Buffer.from(current.rootKey);
    try {
      let next: Keyring;
      try {
        next = await this.readKeyring(rootKey);
      } catch (err) {
        if (this.keyring === current) this.seal();
        throw err;
      }
      if (this.keyring !== current) {
        // sealed, or replaced by another reload, while we read storage: that state stands
        zeroKeyring(next);
        return;
      }
      this.install(next);
      setImmediate(() => zeroKeyring(current));
    } finally {
      rootKey.fill(0);
    }
  }

  /** The stored keyring, opened with `rootKey` and checked to hold that root key. */
  private async readKeyring(rootKey: Uint8Array): Promise<Keyring> {
    const blob = await this.storage.get(KEYRING_PATH);
    if (blob === undefined) throw new NotInitialized();
    const plaintext = openEntry(blob, KEYRING_PATH, (term) => (term === ROOT_KEY_TERM ? rootKey : undefined));
    let keyring: Keyring;
    try {
      keyring = decodeKeyring(plaintext);
    } finally {
      plaintext.fill(0);
    }
    if (!constantTimeEqual(keyring.rootKey, rootKey)) {
      zeroKeyring(keyring);
      throw new IntegrityError();
    }
    return keyring;
  }

  private install(keyring: Keyring): void {
    const active = activeKey(keyring);
    active.encryptions += COUNT_PERSIST_INTERVAL; // bias upward: counts lost in a crash
    this.persistedCount = active.encryptions;
    this.keyring = keyring;
  }

  seal(): void {
    if (this.keyring !== undefined) zeroKeyring(this.keyring);
    this.keyring = undefined;
  }

  async rotate(): Promise<number> {
    return this.serialised(() => this.rotateNow());
  }

  keyStatus(): KeyStatus {
    const active = activeKey(this.unsealedKeyring());
    return { term: active.term, installTime: new Date(active.installTime), encryptions: active.encryptions };
  }

  rotationConfig(): RotationConfig {
    return { ...this.unsealedKeyring().rotation };
  }

  async setRotationConfig(config: RotationConfig): Promise<void> {
    checkRotationConfig(config);
    this.unsealedKeyring();
    await this.serialised(async () => {
      const keyring = this.unsealedKeyring();
      const previous = keyring.rotation;
      keyring.rotation = { maxOperations: config.maxOperations, intervalMs: config.intervalMs, enabled: config.enabled };
      try {
        await this.persistKeyring();
      } catch (err) {
        keyring.rotation = previous;
        throw err;
      }
    });
  }

  async get(key: string): Promise<Buffer | undefined> {
    this.unsealedKeyring();
    const blob = await this.storage.get(key);
    if (blob === undefined) return undefined;
    const keyring = this.unsealedKeyring();
    return openEntry(blob, key, (term) => keyring.terms.get(term)?.key);
  }

  async put(key: string, value: Buffer): Promise<void> {
    this.checkWritable(key);
    if (!(value instanceof Uint8Array)) throw new InvalidRequest('storage value must be a Buffer');
    const term = await this.termForEncryption();
    const blob = sealEntry(term.key, term.term, key, value);
    await this.storage.put(key, blob);
    if (term.encryptions - this.persistedCount >= COUNT_PERSIST_INTERVAL) {
      await this.serialised(async () => {
        if (this.keyring !== undefined && activeKey(this.keyring).encryptions - this.persistedCount >= COUNT_PERSIST_INTERVAL) {
          await this.persistKeyring();
        }
      });
    }
  }

  async delete(key: string): Promise<void> {
    this.checkWritable(key);
    await this.storage.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    this.unsealedKeyring();
    return this.storage.list(prefix);
  }

  view(prefix: string): BarrierStorage {
    if (typeof prefix !== 'string') throw new InvalidRequest('view prefix must be a string');
    // A view only prefixes: keys are opaque strings, so "../" has no meaning and cannot leave it.
    return {
      get: (key) => this.get(prefix + key),
      put: (key, value) => this.put(prefix + key, value),
      delete: (key) => this.delete(prefix + key),
      list: (p) => this.list(prefix + p),
    };
  }

  // --- internals ---

  private unsealedKeyring(): Keyring {
    if (this.keyring === undefined) throw new SealedError();
    return this.keyring;
  }

  private checkWritable(key: string): void {
    this.unsealedKeyring();
    if (RESERVED_PATHS.has(key)) throw new InvalidRequest('storage path is reserved');
  }

  private needsRotation(keyring: Keyring, active: TermKey): boolean {
    const { enabled, maxOperations, intervalMs } = keyring.rotation;
    if (!enabled) return false;
    if (active.encryptions >= maxOperations) return true;
    return intervalMs > 0 && this.now().getTime() - active.installTime.getTime() >= intervalMs;
  }

  /**
   * Returns the active term with its count already taken for one encryption. The final check
   * and the increment run in one synchronous step, so concurrent puts cannot overshoot.
   */
  private async termForEncryption(): Promise<TermKey> {
    for (;;) {
      const keyring = this.unsealedKeyring();
      const active = activeKey(keyring);
      if (!this.needsRotation(keyring, active)) {
        active.encryptions++;
        return active;
      }
      await this.serialised(async () => {
        const current = this.unsealedKeyring();
        if (this.needsRotation(current, activeKey(current))) await this.rotateNow();
      });
    }
  }

  /** Adds a term and persists; call only inside `serialised`. */
  private async rotateNow(): Promise<number> {
    this.unsealedKeyring();
    const newKey = await this.randomKey();
    const keyring = this.unsealedKeyring();
    const previousActive = keyring.activeTerm;
    const added = addTerm(keyring, newKey, this.now());
    newKey.fill(0);
    try {
      await this.writeKeyring(keyring, false);
    } catch (err) {
      keyring.terms.delete(added.term);
      keyring.activeTerm = previousActive;
      added.key.fill(0);
      throw err;
    }
    this.persistedCount = 0;
    return added.term;
  }

  private async persistKeyring(): Promise<void> {
    const keyring = this.unsealedKeyring();
    const count = activeKey(keyring).encryptions;
    await this.storage.put(KEYRING_PATH, this.encryptKeyring(keyring));
    this.persistedCount = count;
  }

  private encryptKeyring(keyring: Keyring): Buffer {
    const plaintext = encodeKeyring(keyring);
    try {
      return sealEntry(keyring.rootKey, ROOT_KEY_TERM, KEYRING_PATH, plaintext);
    } finally {
      plaintext.fill(0);
    }
  }

  /** Writes the keyring and the root key under the active term, atomically when storage can. */
  private async writeKeyring(keyring: Keyring, fresh: boolean): Promise<void> {
    const active = activeKey(keyring);
    const rootEntry = encodeRootKeyEntry(keyring.rootKey);
    const ops: TxOperation[] = [
      { op: 'put', key: KEYRING_PATH, value: this.encryptKeyring(keyring) },
      { op: 'put', key: ROOT_KEY_PATH, value: sealEntry(active.key, active.term, ROOT_KEY_PATH, rootEntry) },
    ];
    rootEntry.fill(0);
    if (fresh && (await this.storage.get(KEYRING_PATH)) !== undefined) {
      throw new InvalidRequest('Vault is already initialized');
    }
    if (isTransactional(this.storage)) {
      await this.storage.transaction(ops);
    } else {
      // keyring first: a crash between the two leaves a root-key entry one term behind,
      // which the keyring can still decrypt.
      for (const op of ops) if (op.op === 'put') await this.storage.put(op.key, op.value);
    }
  }

  private async randomKey(): Promise<Buffer> {
    const key = await this.random(AES_256_KEY_LENGTH);
    if (!(key instanceof Uint8Array) || key.length !== AES_256_KEY_LENGTH) {
      throw new ArcaError('random source returned the wrong number of bytes');
    }
    const copy = Buffer.from(key);
    key.fill(0);
    return copy;
  }

  private serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.then(() => undefined, () => undefined);
    return run;
  }
}

/** Reads the root key from `core/root-key` with the keyring's terms (for standbys and tests). */
export async function readRootKeyEntry(storage: Pick<Storage, 'get'>, keyring: Keyring): Promise<Buffer> {
  const blob = await storage.get(ROOT_KEY_PATH);
  if (blob === undefined) throw new StorageError('stored root key is missing');
  const plaintext = openEntry(blob, ROOT_KEY_PATH, (term) => keyring.terms.get(term)?.key);
  try {
    return decodeRootKeyEntry(plaintext);
  } finally {
    plaintext.fill(0);
  }
}

export function createAesGcmBarrier(storage: Storage, opts: AesGcmBarrierOptions = {}): SecurityBarrier {
  return new AesGcmBarrier(storage, opts);
}
