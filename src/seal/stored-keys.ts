/**
 * Physical-storage entries the seal needs while the barrier is still sealed (SEALS.md §7).
 * Nothing here goes through the barrier.
 *
 * - `core/seal-config`, `core/recovery-config`: plaintext UTF-8 JSON, the SealConfig fields plus
 *   `"format_version": 1`.
 * - `core/hsm/barrier-unseal-keys`: seal-wrapped (wrapper blob, AAD = the path) of
 *   `0x01 | root key (32 bytes)`.
 * - `core/recovery-key`: seal-wrapped (AAD = the path) of `0x01 | recovery key (1..255 bytes)`.
 *
 * Versions are checked on read; a new layout is a new version decoded beside the old one.
 */
import { IntegrityError, StorageError } from '../errors.js';
import { validateShareConfig } from '../crypto/shamir.js';
import type { Storage } from '../storage/types.js';
import type { SealConfig, SealType, SealWrapper } from './types.js';

export const SEAL_CONFIG_PATH = 'core/seal-config';
export const RECOVERY_CONFIG_PATH = 'core/recovery-config';
export const STORED_ROOT_KEY_PATH = 'core/hsm/barrier-unseal-keys';
export const RECOVERY_KEY_PATH = 'core/recovery-key';

export const SEAL_CONFIG_FORMAT_VERSION = 1;
export const STORED_KEY_FORMAT_VERSION = 0x01;
const ROOT_KEY_LENGTH = 32;

const SEAL_TYPES: ReadonlySet<SealType> = new Set(['shamir', 'pkcs11', 'transit', 'awskms', 'azurekeyvault', 'gcpckms']);

function configPath(which: 'seal' | 'recovery'): string {
  return which === 'seal' ? SEAL_CONFIG_PATH : RECOVERY_CONFIG_PATH;
}

function checkConfig(config: unknown): asserts config is SealConfig {
  if (typeof config !== 'object' || config === null) throw new StorageError('seal configuration is malformed');
  const c = config as Record<string, unknown>;
  if (typeof c.type !== 'string' || !SEAL_TYPES.has(c.type as SealType)) throw new StorageError('seal configuration has an unknown seal type');
  if (typeof c.secret_shares !== 'number' || typeof c.secret_threshold !== 'number' || typeof c.nonce !== 'string') {
    throw new StorageError('seal configuration is malformed');
  }
  validateShareConfig(c.secret_shares, c.secret_threshold);
}

export async function readSealConfig(storage: Pick<Storage, 'get'>, which: 'seal' | 'recovery'): Promise<SealConfig | undefined> {
  const raw = await storage.get(configPath(which));
  if (raw === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new StorageError('seal configuration is malformed');
  }
  if (typeof doc !== 'object' || doc === null) throw new StorageError('seal configuration is malformed');
  const d = doc as Record<string, unknown>;
  if (d.format_version !== SEAL_CONFIG_FORMAT_VERSION) throw new StorageError('seal configuration format version is not supported');
  const config = { type: d.type, secret_shares: d.secret_shares, secret_threshold: d.secret_threshold, nonce: d.nonce };
  try {
    checkConfig(config);
  } catch (err) {
    if (err instanceof StorageError) throw err;
    throw new StorageError('seal configuration is malformed');
  }
  return config;
}

/** Validates with Vault's rules (InvalidRequest) and writes the plaintext JSON. */
export async function writeSealConfig(storage: Pick<Storage, 'put'>, which: 'seal' | 'recovery', config: SealConfig): Promise<void> {
  checkConfig(config);
  const doc = {
    format_version: SEAL_CONFIG_FORMAT_VERSION,
    type: config.type,
    secret_shares: config.secret_shares,
    secret_threshold: config.secret_threshold,
    nonce: config.nonce,
  };
  await storage.put(configPath(which), Buffer.from(JSON.stringify(doc), 'utf8'));
}

function encodeStoredKey(key: Uint8Array): Buffer {
  const out = Buffer.alloc(1 + key.length);
  out[0] = STORED_KEY_FORMAT_VERSION;
  out.set(key, 1);
  return out;
}

function decodeStoredKey(plaintext: Uint8Array, length?: number): Buffer {
  if (plaintext.length < 2 || plaintext[0] !== STORED_KEY_FORMAT_VERSION) throw new IntegrityError();
  if (length !== undefined && plaintext.length !== 1 + length) throw new IntegrityError();
  return Buffer.from(plaintext.subarray(1));
}

async function writeWrapped(storage: Pick<Storage, 'put'>, wrapper: SealWrapper, path: string, key: Uint8Array): Promise<void> {
  const plaintext = encodeStoredKey(key);
  try {
    await storage.put(path, Buffer.from(await wrapper.encrypt(plaintext, Buffer.from(path, 'utf8'))));
  } finally {
    plaintext.fill(0);
  }
}

async function readWrapped(storage: Pick<Storage, 'get'>, wrapper: SealWrapper, path: string, length?: number): Promise<Buffer | undefined> {
  const blob = await storage.get(path);
  if (blob === undefined) return undefined;
  const plaintext = await wrapper.decrypt(blob, Buffer.from(path, 'utf8'));
  try {
    return decodeStoredKey(plaintext, length);
  } finally {
    plaintext.fill(0);
  }
}

export async function writeStoredRootKey(storage: Pick<Storage, 'put'>, wrapper: SealWrapper, rootKey: Uint8Array): Promise<void> {
  if (rootKey.length !== ROOT_KEY_LENGTH) throw new StorageError('root key must be 32 bytes');
  await writeWrapped(storage, wrapper, STORED_ROOT_KEY_PATH, rootKey);
}

/** The root key, or undefined when none is stored. A wrong KEK or tampering: IntegrityError. */
export async function readStoredRootKey(storage: Pick<Storage, 'get'>, wrapper: SealWrapper): Promise<Buffer | undefined> {
  return readWrapped(storage, wrapper, STORED_ROOT_KEY_PATH, ROOT_KEY_LENGTH);
}

export async function writeRecoveryKey(storage: Pick<Storage, 'put'>, wrapper: SealWrapper, recoveryKey: Uint8Array): Promise<void> {
  if (recoveryKey.length < 1 || recoveryKey.length > 255) throw new StorageError('recovery key must be 1 to 255 bytes');
  await writeWrapped(storage, wrapper, RECOVERY_KEY_PATH, recoveryKey);
}

export async function readRecoveryKey(storage: Pick<Storage, 'get'>, wrapper: SealWrapper): Promise<Buffer | undefined> {
  return readWrapped(storage, wrapper, RECOVERY_KEY_PATH);
}
