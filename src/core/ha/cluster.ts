/**
 * HA for one node: the election over the storage lock, fencing of this node's writes while it
 * is active, a heartbeat so `sys/ha-status` can list nodes, and what `sys/leader` reports.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Core } from '../core.js';
import type { Fence, NodeInfo } from '../../storage/postgresql-ha.js';
import type { HALock } from '../../storage/types.js';
import { createElection } from './election.js';

export const ACTIVE_LOCK_KEY = 'core/lock';

export interface ClusterLock extends HALock {
  heartbeat(node: Omit<NodeInfo, 'lastSeen'>): Promise<void>;
  nodes(): Promise<NodeInfo[]>;
}

export interface HaClusterOptions {
  core: Core;
  lock: ClusterLock;
  setFence(fence: Fence | undefined): void;
  /** This node's addresses as clients and peers should reach it (resolved after listeners bind). */
  addresses: () => { apiAddr: string; clusterAddr: string };
  ttlMs?: number;
  intervalMs?: number;
  stepDownWaitMs?: number;
  /** After each election round that left this node a standby. */
  onStandby?(): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

interface Advertised { api_addr: string; cluster_addr: string }

export function createHaCluster(options: HaClusterOptions) {
  const holderId = randomUUID();
  const ttlMs = options.ttlMs ?? 3000;
  const intervalMs = options.intervalMs ?? 500;
  let leaderCache: { at: number; value?: { holderId: string; advertised: Advertised } } = { at: 0 };

  /** A standby's writes are refused by the database itself: no lock row ever has generation 0. */
  const standbyFence = { lockKey: ACTIVE_LOCK_KEY, holderId, generation: 0 };

  const election = createElection({
    lock: options.lock,
    holderId,
    advertise: () => {
      const { apiAddr, clusterAddr } = options.addresses();
      return JSON.stringify({ api_addr: apiAddr, cluster_addr: clusterAddr } satisfies Advertised);
    },
    ttlMs,
    intervalMs,
    stepDownWaitMs: options.stepDownWaitMs ?? 10_000,
    log: options.log,
    onAcquire: async (generation) => {
      options.setFence({ lockKey: ACTIVE_LOCK_KEY, holderId, generation });
      leaderCache = { at: 0 };
      await options.core.promote();
    },
    onLose: async () => {
      options.setFence(standbyFence);
      leaderCache = { at: 0 };
      await options.core.demote();
    },
    onStandby: options.onStandby,
  });

  function beat(): void {
    if (options.core.sealed) return;
    const { apiAddr, clusterAddr } = options.addresses();
    options.lock.heartbeat({ holderId, apiAddr, clusterAddr, hostname: hostname() }).catch(() => {});
  }
  const heartbeat = setInterval(beat, 1000);
  heartbeat.unref();

  /** The active node as the lock names it (cached briefly: every forwarded request asks). */
  async function leader(): Promise<{ holderId: string; advertised: Advertised } | undefined> {
    if (Date.now() - leaderCache.at < 250) return leaderCache.value;
    const held = await options.lock.lockValue();
    let value: { holderId: string; advertised: Advertised } | undefined;
    if (held) {
      try { value = { holderId: held.holderId, advertised: JSON.parse(held.value) as Advertised }; } catch { value = undefined; }
    }
    leaderCache = { at: Date.now(), value };
    return value;
  }

  return {
    /** The election, announcing this node as soon as it starts contending. */
    election: {
      get active() { return election.active; },
      start: () => { options.setFence(standbyFence); beat(); return election.start(); },
      stepDown: () => election.stepDown(),
      // Sealed, the node writes only its own seal entries (unseal re-wraps, migration), unfenced as before HA.
      stop: async () => { await election.stop(); options.setFence(undefined); },
    },
    holderId,

    /** The active node's API address, for forwarding and redirects (undefined: none, or this node). */
    async activeAddress(): Promise<string | undefined> {
      const current = await leader();
      return current && current.holderId !== holderId ? current.advertised.api_addr : undefined;
    },

    /** `sys/leader`. */
    async leaderStatus(): Promise<Record<string, unknown>> {
      const current = options.core.sealed ? undefined : await leader().catch(() => undefined);
      const isSelf = election.active;
      return {
        ha_enabled: true,
        is_self: isSelf,
        active_time: isSelf && options.core.activeSince.time ? options.core.activeSince.time.toISOString() : '0001-01-01T00:00:00Z',
        leader_address: current?.advertised.api_addr ?? '',
        leader_cluster_address: current?.advertised.cluster_addr ?? '',
        performance_standby: false,
        performance_standby_last_remote_wal: 0,
      };
    },

    /** `sys/ha-status`: nodes that sent a heartbeat recently. */
    async nodes(): Promise<Record<string, unknown>[]> {
      const current = await leader();
      return (await options.lock.nodes()).map((n) => ({
        hostname: n.hostname,
        api_address: n.apiAddr,
        cluster_address: n.clusterAddr,
        active_node: current?.holderId === n.holderId,
        last_echo: n.lastSeen.toISOString(),
      }));
    },

    stop(): void {
      clearInterval(heartbeat);
    },
  };
}

export type HaCluster = ReturnType<typeof createHaCluster>;
