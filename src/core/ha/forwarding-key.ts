/**
 * The key standbys sign forwarded client certificates with (src/http/forwarded-client-cert.ts):
 * random, created once by the first active node, kept behind the barrier, so only a node that
 * is unsealed with this cluster's keyring can read it.
 */
import type { BarrierStorage } from '../../barrier/types.js';

export const FORWARDING_KEY_PATH = 'core/cluster/forwarding-key';
const KEY_BYTES = 32;

export function createForwardingKey(deps: { barrier: BarrierStorage; randomBytes(n: number): Promise<Buffer> }) {
  let cached: Buffer | undefined;
  return {
    name: 'forwarding key',

    /** Active node: create the key if this cluster has none yet. */
    async load(): Promise<void> {
      const stored = await deps.barrier.get(FORWARDING_KEY_PATH);
      if (stored?.length === KEY_BYTES) {
        cached = stored;
        return;
      }
      const fresh = await deps.randomBytes(KEY_BYTES);
      await deps.barrier.put(FORWARDING_KEY_PATH, fresh);
      cached = fresh;
    },

    async unload(): Promise<void> {
      cached?.fill(0);
      cached = undefined;
    },

    /** The key, read on first use on a standby; undefined while sealed or before any active wrote it. */
    async get(): Promise<Buffer | undefined> {
      if (cached) return cached;
      const stored = await deps.barrier.get(FORWARDING_KEY_PATH).catch(() => undefined);
      if (stored?.length === KEY_BYTES) cached = stored;
      return cached;
    },
  };
}

export type ForwardingKey = ReturnType<typeof createForwardingKey>;
