/**
 * HA wiring for the composition root: when the storage offers an HA lock and the config turns
 * it on, the core contends for the active role and standbys forward requests to the active.
 */
import { isHABackend, type Storage } from '../storage/types.js';
import type { ServerConfig } from '../config/types.js';
import type { Core } from '../core/core.js';
import { ACTIVE_LOCK_KEY, createHaCluster, type ClusterLock, type HaCluster } from '../core/ha/cluster.js';
import type { Fence } from '../storage/postgresql-ha.js';
import type { Logger } from '../util/log.js';

interface FencedHABackend {
  haEnabled: boolean;
  setFence(fence: Fence | undefined): void;
}

function haCapable(storage: Storage): storage is Storage & FencedHABackend & { haLock(name: string): ClusterLock } {
  return isHABackend(storage) && (storage as Partial<FencedHABackend>).haEnabled === true;
}

/** Sets up HA when enabled; returns undefined for a single node. */
export function setupHa(
  config: ServerConfig,
  storage: Storage,
  core: Core,
  logger: Logger,
  boundAddress: () => string | undefined,
): HaCluster | undefined {
  if (!haCapable(storage)) return undefined;
  const ttlMs = Number(config.storage.options.ha_lock_ttl_ms ?? 3000);
  const cluster = createHaCluster({
    core,
    lock: storage.haLock(ACTIVE_LOCK_KEY),
    setFence: (fence) => storage.setFence(fence),
    addresses: () => {
      const apiAddr = config.apiAddr ?? boundAddress() ?? '';
      return { apiAddr, clusterAddr: config.clusterAddr ?? apiAddr };
    },
    ttlMs,
    intervalMs: Math.max(100, Math.floor(ttlMs / 6)),
    stepDownWaitMs: Number(config.storage.options.ha_step_down_wait_ms ?? 10_000),
    log: (level, message) => logger.log(level, message),
  });
  core.attachHa(cluster.election);
  return cluster;
}
