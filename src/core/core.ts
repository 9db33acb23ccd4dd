/**
 * The core state machine: uninitialised → sealed → unsealed (active; standby comes with HA).
 * It owns the key ceremony for init and unseal and the lifecycle of everything that lives
 * behind the barrier. Requests are handled by the pipeline (request/pipeline.ts).
 */
import { randomUUID } from 'node:crypto';
import type { SecurityBarrier } from '../barrier/types.js';
import type { Storage } from '../storage/types.js';
import type { Seal, SealConfig } from '../seal/types.js';
import { IntegrityError, InvalidRequest, SealedError, StandbyError } from '../errors.js';
import { splitSecret, combineShares } from '../crypto/shamir.js';
import { readSealConfig, writeSealConfig, readStoredRootKey, writeStoredRootKey, writeRecoveryKey, readRecoveryKey } from '../seal/stored-keys.js';
import { createShareCollector, type ShareCollector } from './share-collector.js';
import { rewrapStoredKeys } from './seal-upgrade.js';
import { recordVersion } from './version-history.js';
import type { SealMigration } from './seal-migration.js';
import { validateShareConfig, type InitParams, type InitResult } from './init-params.js';
import type { TokenStore } from './tokens/store.js';

export const ARCA_VERSION = '1.19.0';
export const ARCA_BUILD_DATE = '2026-11-24T00:00:00Z';

/** Something that lives behind the barrier and is loaded at unseal, dropped at seal. */
export interface Subsystem {
  name: string;
  load(): Promise<void>;
  unload(): Promise<void>;
  /** HA standby: load read-only, for serving local reads. Absent: not loaded on standbys. */
  loadStandby?(): Promise<void>;
}

/** The HA election as the core sees it (src/core/ha/election.ts). */
export interface HaController {
  readonly active: boolean;
  start(): Promise<void>;
  stepDown(): Promise<void>;
  stop(): Promise<void>;
}

export interface ShamirKeyHolder {
  setUnsealKey(kek: Uint8Array): void;
  clearUnsealKey(): void;
}

export interface CoreDeps {
  physical: Storage;
  barrier: SecurityBarrier;
  seal: Seal;
  tokens: TokenStore;
  /** In load order; unloaded in reverse. */
  subsystems: Subsystem[];
  randomBytes: (n: number) => Promise<Buffer>;
  storageType: string;
  clusterName?: string;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface SealStatus {
  type: string;
  initialized: boolean;
  sealed: boolean;
  t: number;
  n: number;
  progress: number;
  nonce: string;
  version: string;
  build_date: string;
  migration: boolean;
  cluster_name?: string;
  cluster_id?: string;
  recovery_seal: boolean;
  storage_type: string;
  removed_from_cluster: boolean;
}

const CLUSTER_INFO_KEY = 'core/cluster/info';

export class Core {
  private unsealCollector?: ShareCollector;
  private cachedSealConfig?: SealConfig;
  private clusterInfo?: { name: string; id: string };
  private unsealing?: Promise<void>;
  private ha?: HaController;
  private migration?: SealMigration;
  /** HA standby: set while the read-only view for local reads is loaded; new number per load. */
  private standbyViewId?: number;
  private standbyViewsLoaded = 0;
  /** Role changes and standby view loads run one at a time. */
  private roleChange: Promise<unknown> = Promise.resolve();
  readonly activeSince: { time?: Date } = {};

  constructor(private readonly deps: CoreDeps) {}

  get barrier(): SecurityBarrier { return this.deps.barrier; }
  /** Physical storage, for the plaintext seal entries only (seal config, stored keys). */
  get physical(): Storage { return this.deps.physical; }
  get configuredSeal(): Seal { return this.deps.seal; }
  get tokens(): TokenStore { return this.deps.tokens; }
  get sealed(): boolean { return this.deps.barrier.sealed; }
  get haEnabled(): boolean { return this.ha !== undefined; }
  /** Unsealed but not the active node: requests go to the active. */
  get standby(): boolean { return this.ha !== undefined && !this.sealed && !this.ha.active; }

  /** Seal migration: a disabled seal stanza is configured beside the enabled one. */
  attachMigration(migration: SealMigration): void {
    this.migration = migration;
  }

  private async migrationPending(): Promise<boolean> {
    return this.migration !== undefined && (await this.migration.pending());
  }

  /** HA: contend for the active role after each unseal instead of becoming active at once. */
  attachHa(ha: HaController): void {
    this.ha = ha;
  }

  private serialRoleChange<T>(work: () => Promise<T>): Promise<T> {
    const next = this.roleChange.then(work, work);
    this.roleChange = next.catch(() => {});
    return next;
  }

  /** HA: this node won the lock. Drop the standby view, pick up keyring changes, then load everything. */
  promote(): Promise<void> {
    return this.serialRoleChange(async () => {
      if (this.standbyViewId !== undefined) await this.unloadSubsystems();
      this.standbyViewId = undefined;
      await this.deps.barrier.reload();
      await this.readClusterInfo();
      await this.loadSubsystems();
      this.activeSince.time = new Date();
    });
  }

  /** HA: this node lost the lock. Drop what only the active may run; stay unsealed. */
  demote(): Promise<void> {
    return this.serialRoleChange(async () => {
      this.activeSince.time = undefined;
      this.standbyViewId = undefined;
      await this.unloadSubsystems();
    });
  }

  /** HA standby: the id of the loaded read-only view, or undefined when none is (local reads off). */
  get standbyView(): number | undefined {
    return this.standby ? this.standbyViewId : undefined;
  }

  /**
   * HA standby: load what serving local reads needs, read-only, from a fresh keyring and an
   * empty cache. Returns the view's id (the current one if already loaded).
   */
  loadStandbyView(): Promise<number | undefined> {
    return this.serialRoleChange(async () => {
      if (!this.standby) return undefined;
      if (this.standbyViewId !== undefined) return this.standbyViewId;
      try {
        await this.deps.barrier.reload();
        await this.deps.tokens.loadStandby();
        for (const sub of this.deps.subsystems) await sub.loadStandby?.();
      } catch (err) {
        await this.unloadSubsystems();
        throw err;
      }
      this.standbyViewId = ++this.standbyViewsLoaded;
      return this.standbyViewId;
    });
  }

  /** HA standby: stop serving local reads (the view may be stale); requests forward until reloaded. */
  dropStandbyView(): Promise<void> {
    return this.serialRoleChange(async () => {
      if (this.standbyViewId === undefined) return;
      this.standbyViewId = undefined;
      await this.unloadSubsystems();
    });
  }

  async stepDown(): Promise<void> {
    await this.ha?.stepDown();
  }

  async initialized(): Promise<boolean> {
    return (await this.sealConfig()) !== undefined;
  }

  async sealConfig(): Promise<SealConfig | undefined> {
    this.cachedSealConfig ??= await readSealConfig(this.deps.physical, 'seal');
    return this.cachedSealConfig;
  }

  /** Drop the cached seal config after a rekey rewrote it. */
  forgetSealConfig(): void {
    this.cachedSealConfig = undefined;
  }

  /** Key material from the server's entropy source (augmented by the seal when configured). */
  randomKey(length: number): Promise<Buffer> {
    return this.deps.randomBytes(length);
  }

  async recoveryConfig(): Promise<SealConfig | undefined> {
    return readSealConfig(this.deps.physical, 'recovery');
  }

  /** The config whose shares authorise quorum operations: recovery under auto-unseal. */
  async quorumConfig(): Promise<SealConfig> {
    const config = this.deps.seal.autoUnseal ? await this.recoveryConfig() : await this.sealConfig();
    if (!config) throw new InvalidRequest('Vault is not initialized');
    return config;
  }

  async initialize(params: InitParams): Promise<InitResult> {
    if (await this.initialized()) throw new InvalidRequest('Vault is already initialized');
    const { seal } = this.deps;
    if (params.pgpKeys && params.pgpKeys.length > 0) {
      throw new InvalidRequest('pgp_keys are not supported by this server');
    }
    const auto = seal.autoUnseal;
    if (auto) validateShareConfig(params.recoveryShares, params.recoveryThreshold, 'recovery');
    else validateShareConfig(params.secretShares, params.secretThreshold, 'secret');

    const rootKey = await this.deps.randomBytes(32);
    let keys: Buffer[] = [];
    let recoveryKeys: Buffer[] = [];
    try {
      if (auto) {
        await writeStoredRootKey(this.deps.physical, seal.wrapper(), rootKey);
        const recoveryKey = await this.deps.randomBytes(32);
        await writeRecoveryKey(this.deps.physical, seal.wrapper(), recoveryKey);
        recoveryKeys = (await splitSecret(recoveryKey, params.recoveryShares, params.recoveryThreshold)).map((s) => Buffer.from(s));
        recoveryKey.fill(0);
      } else {
        const kek = await this.deps.randomBytes(32);
        this.shamirHolder().setUnsealKey(kek);
        await writeStoredRootKey(this.deps.physical, seal.wrapper(), rootKey);
        keys = (await splitSecret(kek, params.secretShares, params.secretThreshold)).map((s) => Buffer.from(s));
        kek.fill(0);
      }
      await this.deps.barrier.initialize(rootKey);
      await this.deps.barrier.unseal(rootKey);
      await this.writeClusterInfo();
      await this.loadSubsystems();
      const { id: rootToken } = await this.deps.tokens.create({
        id: params.rootTokenId,
        parent: '', policies: ['root'], path: 'auth/token/root', displayName: 'root', ttl: 0, renewable: false,
      });
      if (auto) {
        await writeSealConfig(this.deps.physical, 'seal', { type: seal.type, secret_shares: 1, secret_threshold: 1, nonce: '' });
        await writeSealConfig(this.deps.physical, 'recovery', {
          type: 'shamir', secret_shares: params.recoveryShares, secret_threshold: params.recoveryThreshold, nonce: randomUUID(),
        });
        if (this.ha) {
          // HA: go through the election like any unseal instead of staying active unasked.
          await this.sealInternal();
          this.cachedSealConfig = undefined;
          await this.autoUnseal();
        } else {
          this.activeSince.time = new Date();
        }
      } else {
        await writeSealConfig(this.deps.physical, 'seal', {
          type: 'shamir', secret_shares: params.secretShares, secret_threshold: params.secretThreshold, nonce: randomUUID(),
        });
        await this.sealInternal(); // Vault: init does not unseal a Shamir-sealed server
      }
      this.cachedSealConfig = undefined;
      return { keys, recoveryKeys, rootToken };
    } finally {
      rootKey.fill(0);
    }
  }

  /** One unseal share (Shamir). Resolves when accepted; unseals once the threshold is reached. */
  async submitUnsealShare(share: Buffer, options: { migrate?: boolean } = {}): Promise<void> {
    const config = await this.sealConfig();
    if (!config) throw new InvalidRequest('Vault is not initialized');
    if (this.migration && this.sealed && (await this.migrationPending())) {
      if (!options.migrate) throw new InvalidRequest('seal migration is pending: unseal with migrate=true (arca operator unseal -migrate)');
      const rootKey = await this.migration.submit(share);
      if (rootKey) {
        this.cachedSealConfig = undefined;
        await this.unsealWithRootKey(rootKey);
      }
      return;
    }
    if (!this.sealed) return;
    if (this.deps.seal.autoUnseal) {
      throw new InvalidRequest('this server unseals through its seal; use recovery keys only with -migrate');
    }
    this.unsealCollector ??= createShareCollector(config.secret_threshold);
    const shares = this.unsealCollector.add(share);
    if (!shares) return;
    this.unsealCollector = undefined;
    let kek: Uint8Array;
    try {
      kek = config.secret_shares === 1 ? shares[0] : await combineShares(shares);
    } catch {
      throw new InvalidRequest('unseal failed: the key shares do not combine; progress was reset');
    }
    await this.unsealWithKek(kek);
  }

  resetUnseal(): void {
    this.unsealCollector?.reset();
    this.unsealCollector = undefined;
    this.migration?.reset();
  }

  /** Auto-unseal: the seal unwraps the root key itself. */
  async autoUnseal(): Promise<void> {
    if (!this.deps.seal.autoUnseal) throw new InvalidRequest('seal does not support auto-unseal');
    if (!this.sealed) return;
    if (await this.migrationPending()) throw new InvalidRequest('seal migration is pending: waiting for unseal with migrate=true');
    const rootKey = await readStoredRootKey(this.deps.physical, this.deps.seal.wrapper());
    if (!rootKey) throw new InvalidRequest('Vault is not initialized');
    let rewritten: string[];
    try {
      // Also proves the configured key works before anything is unsealed.
      rewritten = await rewrapStoredKeys(this.deps.physical, this.deps.seal.wrapper());
    } catch (err) {
      rootKey.fill(0);
      throw err;
    }
    await this.unsealWithRootKey(rootKey);
    if (rewritten.length > 0) this.deps.log('info', `core: re-wrapped ${rewritten.join(', ')} under the seal's current key`);
  }

  /** Checks recovery shares against the stored recovery key (auto-unseal quorum operations). */
  async verifyRecoveryKey(key: Uint8Array): Promise<void> {
    const stored = await readRecoveryKey(this.deps.physical, this.deps.seal.wrapper());
    const { timingSafeEqual } = await import('node:crypto');
    if (!stored || stored.length !== key.length || !timingSafeEqual(stored, key)) {
      throw new InvalidRequest('recovery key verification failed: incorrect recovery key');
    }
  }

  private async unsealWithKek(kek: Uint8Array): Promise<void> {
    const holder = this.shamirHolder();
    holder.setUnsealKey(kek);
    let rootKey: Uint8Array | undefined;
    try {
      rootKey = await readStoredRootKey(this.deps.physical, this.deps.seal.wrapper());
    } catch (err) {
      holder.clearUnsealKey();
      if (err instanceof IntegrityError) throw new InvalidRequest('unseal failed: invalid key shares; progress was reset');
      throw err;
    }
    if (!rootKey) throw new InvalidRequest('Vault is not initialized');
    await this.unsealWithRootKey(rootKey);
  }

  private async unsealWithRootKey(rootKey: Uint8Array): Promise<void> {
    // Serialise: two racing unseal calls must not load subsystems twice.
    if (this.unsealing) return this.unsealing;
    this.unsealing = (async () => {
      try {
        await this.deps.barrier.unseal(rootKey);
        await this.readClusterInfo();
        if (this.ha) {
          this.deps.log('info', 'core: vault is unsealed; contending for the active role');
          await this.ha.start();
        } else {
          await this.loadSubsystems();
          this.activeSince.time = new Date();
          this.deps.log('info', 'core: vault is unsealed');
        }
      } catch (err) {
        this.deps.barrier.seal();
        throw err;
      } finally {
        rootKey.fill(0);
        this.unsealing = undefined;
      }
    })();
    return this.unsealing;
  }

  async seal(): Promise<void> {
    if (this.sealed) return;
    await this.sealInternal();
    this.deps.log('info', 'core: vault is sealed');
  }

  private async unloadSubsystems(): Promise<void> {
    for (const sub of [...this.deps.subsystems].reverse()) {
      await sub.unload().catch((err: unknown) => this.deps.log('error', `core: unloading ${sub.name} failed: ${(err as Error).message}`));
    }
    this.deps.tokens.unload();
  }

  private async sealInternal(): Promise<void> {
    const wasActive = this.ha?.active ?? false;
    await this.ha?.stop(); // an active node demotes, which unloads
    this.standbyViewId = undefined;
    if (!wasActive) await this.unloadSubsystems();
    this.deps.barrier.seal();
    if (this.deps.seal.type === 'shamir') this.shamirHolder().clearUnsealKey();
    this.activeSince.time = undefined;
  }

  private async loadSubsystems(): Promise<void> {
    await recordVersion(this.deps.barrier, ARCA_VERSION, ARCA_BUILD_DATE);
    await this.deps.tokens.load();
    for (const sub of this.deps.subsystems) await sub.load();
  }

  private shamirHolder(): ShamirKeyHolder {
    return this.deps.seal as unknown as ShamirKeyHolder;
  }

  private async writeClusterInfo(): Promise<void> {
    const info = { name: this.deps.clusterName ?? `arca-cluster-${randomUUID().slice(0, 8)}`, id: randomUUID() };
    await this.deps.barrier.put(CLUSTER_INFO_KEY, Buffer.from(JSON.stringify(info)));
    this.clusterInfo = info;
  }

  private async readClusterInfo(): Promise<void> {
    const raw = await this.deps.barrier.get(CLUSTER_INFO_KEY);
    this.clusterInfo = raw ? (JSON.parse(raw.toString('utf8')) as { name: string; id: string }) : undefined;
  }

  get cluster(): { name: string; id: string } | undefined {
    return this.sealed ? undefined : this.clusterInfo;
  }

  async sealStatus(): Promise<SealStatus> {
    const config = await this.sealConfig();
    const auto = this.deps.seal.autoUnseal;
    const quorum = auto ? await this.recoveryConfig() : config;
    const status: SealStatus = {
      type: this.deps.seal.type,
      initialized: config !== undefined,
      sealed: this.sealed,
      t: quorum?.secret_threshold ?? 0,
      n: quorum?.secret_shares ?? 0,
      progress: this.sealed ? this.unsealCollector?.progress ?? 0 : 0,
      nonce: this.sealed ? this.unsealCollector?.nonce ?? '' : '',
      version: ARCA_VERSION,
      build_date: ARCA_BUILD_DATE,
      migration: false,
      recovery_seal: auto,
      storage_type: this.deps.storageType,
      removed_from_cluster: false,
    };
    if (this.migration && this.sealed && (await this.migrationPending())) {
      const q = await this.migration.quorum();
      Object.assign(status, { migration: true, t: q?.secret_threshold ?? 0, n: q?.secret_shares ?? 0, progress: this.migration.progress, nonce: this.migration.nonce });
    }
    if (this.cluster) {
      status.cluster_name = this.cluster.name;
      status.cluster_id = this.cluster.id;
    }
    return status;
  }

  /** Throws SealedError unless unsealed: guard for every path that needs the barrier. */
  requireUnsealed(): void {
    if (this.sealed) throw new SealedError();
  }

  /** Throws unless this node may serve requests itself (unsealed, and active under HA). */
  requireActive(): void {
    this.requireUnsealed();
    if (this.standby) throw new StandbyError();
  }

  /** Throws unless this node may serve a local read: active, or a standby with its view loaded. */
  requireReadable(): void {
    this.requireUnsealed();
    if (this.standby && this.standbyViewId === undefined) throw new StandbyError();
  }
}
