/**
 * The `keymgmt` secrets engine: keys generated and versioned inside Arca and distributed
 * (bring your own key) to cloud KMS providers, with Vault's Key Management API. This file only
 * assembles the path groups; storage layouts are in records.ts, provider clients in providers/.
 */
import type { BackendContext } from '../../core/mounts/registry.js';
import type { Backend } from '../../framework/backend.js';
import type { KeymgmtDeps } from './deps.js';
import { distributionPaths } from './distribution.js';
import { keysPaths } from './keys.js';
import { kmsPaths } from './kms.js';
import { openClient, providerSpec } from './providers/index.js';
import { createKeymgmtStore, SEAL_WRAPPED } from './store.js';

export function keymgmtBackend(deps: KeymgmtDeps): Backend {
  return {
    paths: [...keysPaths(deps), ...kmsPaths(deps), ...distributionPaths(deps)],
    sealWrapStorage: SEAL_WRAPPED,
  };
}

export function keymgmtDeps(ctx: Pick<BackendContext, 'storage' | 'system'>, now: () => Date = () => new Date()): KeymgmtDeps {
  return {
    store: createKeymgmtStore(ctx.storage),
    random: (n) => ctx.system.randomBytes(n),
    now,
    openClient: (config) => openClient(providerSpec(config.provider), config.keyCollection, config.credentials),
  };
}

export function createKeymgmtBackend(ctx: BackendContext): Backend {
  return keymgmtBackend(keymgmtDeps(ctx));
}
