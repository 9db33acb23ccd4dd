/**
 * Seal migration as Vault does it (SEALS.md §4.1): the old seal stanza is marked
 * `disabled = "true"` beside the new one, and the operator unseals with `migrate: true`:
 *
 *   Shamir → auto   old unseal keys; the combined unseal key becomes the recovery key
 *   auto → Shamir   recovery keys; the combined recovery key becomes the unseal key
 *   auto → auto     recovery keys; they stay the recovery keys
 *
 * The shares are checked against the old seal's stored keys, the root key is unwrapped by the
 * old seal and wrapped by the new one, and every stored entry the change touches is written in
 * one storage transaction: a crash before it leaves the old configuration valid (enter the
 * shares again), a crash after it leaves the migration done. Nothing is half-written.
 */
import { randomUUID } from 'node:crypto';
import { IntegrityError, InvalidRequest } from '../errors.js';
import { combineShares } from '../crypto/shamir.js';
import { isTransactional, type Storage, type TxOperation } from '../storage/types.js';
import type { Seal, SealConfig, SealWrapper } from '../seal/types.js';
import {
  RECOVERY_CONFIG_PATH, RECOVERY_KEY_PATH, SEAL_CONFIG_FORMAT_VERSION, SEAL_CONFIG_PATH, STORED_ROOT_KEY_PATH,
  readRecoveryKey, readSealConfig, readStoredRootKey,
} from '../seal/stored-keys.js';
import { decodeWrapperBlob } from '../seal/wrapper-blob.js';
import { createShareCollector, type ShareCollector } from './share-collector.js';
import { rewrapSealWrapped } from './seal-wrap-migration.js';
import type { ShamirKeyHolder } from './core.js';

export interface SealMigrationDeps {
  physical: Storage;
  /** The enabled seal: what wraps after the migration. */
  seal: Seal;
  /** The disabled stanza's seal: what wrapped before. */
  oldSeal: Seal;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface SealMigration {
  /** True while storage still belongs to the old seal. */
  pending(): Promise<boolean>;
  /** The config whose shares the migration takes (old unseal config or recovery config). */
  quorum(): Promise<SealConfig | undefined>;
  readonly progress: number;
  readonly nonce: string;
  /** One share; returns the root key once the migration has been committed. */
  submit(share: Buffer): Promise<Buffer | undefined>;
  reset(): void;
}

const holder = (seal: Seal) => seal as unknown as ShamirKeyHolder;

function configDoc(config: SealConfig): Buffer {
  return Buffer.from(JSON.stringify({ format_version: SEAL_CONFIG_FORMAT_VERSION, ...config }), 'utf8');
}

async function wrap(wrapper: SealWrapper, path: string, key: Uint8Array): Promise<Buffer> {
  const plaintext = Buffer.concat([Buffer.from([0x01]), key]);
  try {
    return Buffer.from(await wrapper.encrypt(plaintext, Buffer.from(path, 'utf8')));
  } finally {
    plaintext.fill(0);
  }
}

export function createSealMigration(deps: SealMigrationDeps): SealMigration {
  const { physical, seal, oldSeal } = deps;
  let collector: ShareCollector | undefined;
  let pendingCache: boolean | undefined;

  const pending = async (): Promise<boolean> => {
    if (pendingCache !== undefined) return pendingCache;
    const stored = await readSealConfig(physical, 'seal');
    if (!stored) return false;
    let result: boolean;
    if (stored.type !== seal.type) result = stored.type === oldSeal.type;
    else if (oldSeal.type !== seal.type) result = false; // already on the new seal (or a plain key rotation)
    else {
      // Same auto seal type (pkcs11 key A → key B): pending while the stored root key was made
      // by a different key than the new seal writes with.
      const blob = await physical.get(STORED_ROOT_KEY_PATH);
      if (!blob) return false;
      const probe = decodeWrapperBlob(await seal.wrapper().encrypt(Buffer.from([0]), Buffer.from('arca seal migration probe')));
      result = decodeWrapperBlob(blob).keyId !== probe.keyId;
    }
    if (result) deps.log('info', `core: seal migration pending from ${oldSeal.type} to ${seal.type}; unseal with migrate=true`);
    pendingCache = result;
    return result;
  };

  const quorum = async (): Promise<SealConfig | undefined> => {
    const stored = await readSealConfig(physical, 'seal');
    if (stored?.type === 'shamir') return stored;
    return readSealConfig(physical, 'recovery');
  };

  const commit = async (ops: TxOperation[]): Promise<void> => {
    if (isTransactional(physical)) {
      await physical.transaction(ops);
      return;
    }
    // No transactions: root key last among puts, so an interrupted run still unseals the old way
    // until the seal config flips.
    for (const op of ops) {
      if (op.op === 'put') await physical.put(op.key, op.value);
      else await physical.delete(op.key);
    }
  };

  const migrate = async (combined: Buffer): Promise<Buffer> => {
    const stored = await readSealConfig(physical, 'seal');
    if (!stored) throw new InvalidRequest('Vault is not initialized');
    const fromShamir = stored.type === 'shamir';
    let rootKey: Buffer | undefined;
    let recoveryKey: Buffer;
    let quorumConfig: SealConfig;
    if (fromShamir) {
      holder(oldSeal).setUnsealKey(combined);
      try {
        rootKey = await readStoredRootKey(physical, oldSeal.wrapper());
      } catch (err) {
        if (err instanceof IntegrityError) throw new InvalidRequest('seal migration: the unseal keys given do not open the stored root key (Shamir → auto migration takes the old unseal keys)');
        throw err;
      } finally {
        holder(oldSeal).clearUnsealKey();
      }
      recoveryKey = Buffer.from(combined);
      quorumConfig = stored;
    } else {
      const recoveryConfig = await readSealConfig(physical, 'recovery');
      if (!recoveryConfig) throw new InvalidRequest('seal migration: no recovery configuration is stored');
      const storedRecovery = await readRecoveryKey(physical, oldSeal.wrapper());
      const { timingSafeEqual } = await import('node:crypto');
      if (!storedRecovery || storedRecovery.length !== combined.length || !timingSafeEqual(storedRecovery, combined)) {
        throw new InvalidRequest('seal migration: the recovery keys given are not correct (migrating from an auto seal takes the recovery keys)');
      }
      rootKey = await readStoredRootKey(physical, oldSeal.wrapper());
      recoveryKey = storedRecovery;
      quorumConfig = recoveryConfig;
    }
    if (!rootKey) throw new InvalidRequest('Vault is not initialized');

    const ops: TxOperation[] = [];
    // Seal-wrapped entries belong to the old seal: re-wrap them under the new one (unwrap for
    // Shamir, which does not seal-wrap) in the same transaction. A Shamir old seal wrapped none.
    if (oldSeal.type !== 'shamir') {
      const rewrapped = await rewrapSealWrapped({
        physical, rootKey, oldWrapper: oldSeal.wrapper(), newWrapper: seal.type === 'shamir' ? undefined : seal.wrapper(),
      });
      ops.push(...rewrapped.ops);
      if (rewrapped.count > 0) deps.log('info', `core: seal migration: ${rewrapped.count} seal-wrapped entries ${seal.type === 'shamir' ? 'unwrapped' : 're-wrapped'}`);
    }
    if (seal.type === 'shamir') {
      if (recoveryKey.length !== 32) throw new InvalidRequest('seal migration: the recovery key cannot become an unseal key (not 32 bytes)');
      holder(seal).setUnsealKey(recoveryKey);
      ops.push({ op: 'put', key: STORED_ROOT_KEY_PATH, value: await wrap(seal.wrapper(), STORED_ROOT_KEY_PATH, rootKey) });
      ops.push({ op: 'delete', key: RECOVERY_KEY_PATH });
      ops.push({ op: 'delete', key: RECOVERY_CONFIG_PATH });
      ops.push({ op: 'put', key: SEAL_CONFIG_PATH, value: configDoc({ ...quorumConfig, type: 'shamir', nonce: randomUUID() }) });
    } else {
      ops.push({ op: 'put', key: RECOVERY_KEY_PATH, value: await wrap(seal.wrapper(), RECOVERY_KEY_PATH, recoveryKey) });
      ops.push({ op: 'put', key: RECOVERY_CONFIG_PATH, value: configDoc({ ...quorumConfig, type: 'shamir' }) });
      ops.push({ op: 'put', key: STORED_ROOT_KEY_PATH, value: await wrap(seal.wrapper(), STORED_ROOT_KEY_PATH, rootKey) });
      ops.push({ op: 'put', key: SEAL_CONFIG_PATH, value: configDoc({ type: seal.type, secret_shares: 1, secret_threshold: 1, nonce: '' }) });
    }
    recoveryKey.fill(0);
    await commit(ops);
    pendingCache = false;
    deps.log('info', `core: seal migration from ${oldSeal.type} to ${seal.type} completed; remove the disabled seal stanza`);
    return rootKey;
  };

  return {
    pending,
    quorum,
    get progress() { return collector?.progress ?? 0; },
    get nonce() { return collector?.nonce ?? ''; },
    async submit(share) {
      if (!(await pending())) throw new InvalidRequest('seal migration: no migration is pending');
      const config = await quorum();
      if (!config) throw new InvalidRequest('seal migration: no key configuration is stored');
      deps.log('info', `core: seal migration from ${oldSeal.type} to ${seal.type}: share received`);
      collector ??= createShareCollector(config.secret_threshold);
      const shares = collector.add(share);
      if (!shares) return undefined;
      collector = undefined;
      let combined: Buffer;
      try {
        combined = config.secret_shares === 1 ? Buffer.from(shares[0]) : Buffer.from(await combineShares(shares));
      } catch {
        throw new InvalidRequest('seal migration: the key shares do not combine; progress was reset');
      } finally {
        for (const s of shares) s.fill(0);
      }
      try {
        return await migrate(combined);
      } finally {
        combined.fill(0);
      }
    },
    reset() {
      collector?.reset();
      collector = undefined;
    },
  };
}
