/** Gauges read at scrape time, and the unseal/seal counters driven by the core's subsystem list. */
import type { ServerMetrics } from './server-metrics.js';

export interface GaugeSources {
  sealed(): boolean;
  tokenCount(): Promise<number>;
  /** Immediate children of a lease-id prefix (folders end in '/'). */
  listLeases(prefix: string): Promise<string[]>;
}

async function countLeases(list: GaugeSources['listLeases'], prefix = ''): Promise<number> {
  let n = 0;
  for (const key of await list(prefix)) n += key.endsWith('/') ? await countLeases(list, prefix + key) : 1;
  return n;
}

export function registerCollectors(metrics: ServerMetrics, sources: GaugeSources): void {
  metrics.registry.onCollect(async () => {
    const sealed = sources.sealed();
    metrics.unsealed.set(sealed ? 0 : 1);
    if (sealed) return;
    metrics.tokens.set(await sources.tokenCount());
    metrics.leases.set(await countLeases(sources.listLeases));
  });
}

/** A core subsystem (loaded last at unseal, unloaded first at seal) that counts transitions. */
export function lifecycleCounter(metrics: ServerMetrics) {
  return {
    name: 'metrics',
    load: async () => { metrics.unseals.inc(); metrics.unsealed.set(1); },
    unload: async () => { metrics.seals.inc(); metrics.unsealed.set(0); },
  };
}
