/** The `totp` secrets engine (Vault's TOTP API): keys/ and code/. */
import type { BackendContext } from '../../core/mounts/registry.js';
import type { Backend } from '../../framework/backend.js';
import { codePaths } from './code.js';
import type { TotpDeps } from './deps.js';
import { keysPaths } from './keys.js';
import { createTotpStore, KEY_PREFIX } from './store.js';

export interface TotpOptions {
  now?: () => Date;
}

export function createTotpBackend(ctx: Pick<BackendContext, 'storage' | 'system'>, options: TotpOptions = {}): Backend {
  const deps: TotpDeps = {
    store: createTotpStore(ctx.storage),
    random: (n) => ctx.system.randomBytes(n),
    now: options.now ?? (() => new Date()),
    usedCodes: new Map(),
  };
  return {
    paths: [...keysPaths(deps), ...codePaths(deps)],
    sealWrapStorage: [`${KEY_PREFIX}*`],
    async cleanup() {
      deps.usedCodes.clear();
    },
  };
}
