/**
 * HA wiring for the composition root: when the storage offers an HA lock and the config turns
 * it on, the core contends for the active role; standbys forward requests to the active and,
 * where the storage has a change feed, serve KV reads and token lookups themselves.
 */
import { isHABackend, type Storage } from '../storage/types.js';
import type { ServerConfig } from '../config/types.js';
import type { Core } from '../core/core.js';
import { ACTIVE_LOCK_KEY, createHaCluster, type ClusterLock, type HaCluster } from '../core/ha/cluster.js';
import type { Fence } from '../storage/postgresql-ha.js';
import type { ChangeFeed } from '../storage/postgresql-changes.js';
import type { Logger } from '../util/log.js';
import { createStandbyReads, type StandbyInvalidation, type StandbyReads, type StandbyReadsDeps } from './standby-reads.js';

interface FencedHABackend {
  haEnabled: boolean;
  setFence(fence: Fence | undefined): void;
  watchChanges?(onChange: (key: string | undefined) => Promise<void>, log: Logger['log']): ChangeFeed;
}

function haCapable(storage: Storage): storage is Storage & FencedHABackend & { haLock(name: string): ClusterLock } {
  return isHABackend(storage) && (storage as Partial<FencedHABackend>).haEnabled === true;
}

export interface HaSetup {
  config: ServerConfig;
  storage: Storage;
  core: Core;
  logger: Logger;
  boundAddress: () => string | undefined;
  /** For standby local reads: how to route a path, and how to drop what another node changed. */
  route: StandbyReadsDeps['route'];
  invalidate: StandbyInvalidation;
}

/** Sets up HA when enabled; returns undefined for a single node. */
export function setupHa(setup: HaSetup): (HaCluster & { standbyReads?: StandbyReads }) | undefined {
  const { config, storage, core, logger } = setup;
  if (!haCapable(storage)) return undefined;
  const log: Logger['log'] = (level, message) => logger.log(level, message);
  const standbyReads = storage.watchChanges && ![false, 'false'].includes(config.storage.options.standby_local_reads as string)
    ? createStandbyReads({
      core,
      route: setup.route,
      watch: (onChange) => storage.watchChanges!(onChange, log),
      invalidate: setup.invalidate,
      log,
    })
    : undefined;
  const ttlMs = Number(config.storage.options.ha_lock_ttl_ms ?? 3000);
  const cluster = createHaCluster({
    core,
    lock: storage.haLock(ACTIVE_LOCK_KEY),
    setFence: (fence) => storage.setFence(fence),
    addresses: () => {
      const apiAddr = config.apiAddr ?? setup.boundAddress() ?? '';
      return { apiAddr, clusterAddr: config.clusterAddr ?? apiAddr };
    },
    ttlMs,
    intervalMs: Math.max(100, Math.floor(ttlMs / 6)),
    stepDownWaitMs: Number(config.storage.options.ha_step_down_wait_ms ?? 10_000),
    onStandby: standbyReads && (() => standbyReads.ensureView()),
    log,
  });
  core.attachHa(cluster.election);
  return {
    ...cluster,
    standbyReads,
    stop(): void {
      cluster.stop();
      void standbyReads?.close();
    },
  };
}
