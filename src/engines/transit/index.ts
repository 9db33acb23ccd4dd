/**
 * The `transit` secrets engine: encryption as a service (Vault's transit API). This file only
 * assembles the path groups and the auto-rotation timer; key logic lives in keyring.ts.
 */
import { randomBytes } from 'node:crypto';
import type { BackendContext } from '../../core/mounts/registry.js';
import type { Backend } from '../../framework/backend.js';
import type { TransitDeps } from './deps.js';
import { encryptPaths } from './encrypt.js';
import { exportPaths } from './export.js';
import { hmacPaths } from './hmac.js';
import { keysPaths } from './keys.js';
import { rotateKey, rotationDue } from './keyring.js';
import { signPaths } from './sign.js';
import { createKeyStore, POLICY_PREFIX } from './store.js';
import { toolsPaths } from './tools.js';

export interface TransitOptions {
  now?: () => Date;
  /** How often auto_rotate_period is checked; 0 disables the timer (tests call rotateDueKeys). */
  rotationCheckMs?: number;
}

/** Rotates every key whose auto_rotate_period has elapsed since its latest version. */
export async function rotateDueKeys(deps: TransitDeps): Promise<string[]> {
  const rotated: string[] = [];
  for (const name of await deps.store.list()) {
    const cached = await deps.store.get(name);
    if (!cached || !rotationDue(cached, deps.now())) continue;
    await deps.store.update(name, async (key) => {
      if (!key || !rotationDue(key, deps.now())) return undefined;
      await rotateKey(key, deps.random, deps.now());
      rotated.push(name);
      return { key, result: undefined };
    });
  }
  return rotated;
}

export function transitBackend(deps: TransitDeps): Backend {
  return {
    paths: [
      ...keysPaths(deps),
      ...encryptPaths(deps),
      ...signPaths(deps),
      ...hmacPaths(deps),
      ...exportPaths(deps),
      ...toolsPaths(deps),
    ],
    sealWrapStorage: [`${POLICY_PREFIX}*`],
  };
}

export function createTransitBackend(ctx: BackendContext, options: TransitOptions = {}): Backend {
  const deps: TransitDeps = {
    store: createKeyStore(ctx.storage),
    random: (n) => ctx.system.randomBytes(n),
    platformRandom: async (n) => randomBytes(n),
    now: options.now ?? (() => new Date()),
  };
  const backend = transitBackend(deps);
  const interval = options.rotationCheckMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  if (interval > 0) {
    timer = setInterval(() => { rotateDueKeys(deps).catch(() => {}); }, interval);
    timer.unref();
  }
  return {
    ...backend,
    async cleanup() {
      if (timer) clearInterval(timer);
    },
  };
}
