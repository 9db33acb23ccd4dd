/** The `ssh` secrets engine in CA mode (Vault's SSH API): config/ca, public_key, roles, sign, issue. */
import type { BackendContext } from '../../core/mounts/registry.js';
import type { Backend } from '../../framework/backend.js';
import { caPaths } from './ca.js';
import { CA_PATH, createCaStore } from './ca-store.js';
import type { SshDeps } from './deps.js';
import { rolesPaths } from './roles.js';
import { createRoleStore } from './roles-store.js';
import { signPaths } from './sign.js';

export interface SshOptions {
  now?: () => Date;
}

export function createSshBackend(ctx: Pick<BackendContext, 'storage' | 'system'>, options: SshOptions = {}): Backend {
  const deps: SshDeps = {
    ca: createCaStore(ctx.storage),
    roles: createRoleStore(ctx.storage),
    random: (n) => ctx.system.randomBytes(n),
    now: options.now ?? (() => new Date()),
    defaultLeaseTtl: () => ctx.system.defaultLeaseTtl(),
    maxLeaseTtl: () => ctx.system.maxLeaseTtl(),
  };
  return {
    paths: [...caPaths(deps), ...rolesPaths(deps), ...signPaths(deps)],
    unauthenticatedPaths: ['public_key'],
    sealWrapStorage: [CA_PATH],
  };
}
