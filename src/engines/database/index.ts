/**
 * The database secrets engine (Vault's builtin/logical/database) for PostgreSQL and
 * MySQL/MariaDB: connections, dynamic roles with leased users that revocation really drops,
 * static roles with background rotation, root credential rotation.
 */
import type { Backend } from '../../framework/backend.js';
import type { BackendContext } from '../../core/mounts/registry.js';
import { configPaths } from './config.js';
import { CREDS_SECRET, credsPaths, credsSecret } from './creds.js';
import { createEngineContext, type DatabaseDeps } from './deps.js';
import { rolePaths } from './roles.js';
import { createStaticRotation } from './rotation.js';
import { staticRolePaths } from './static-roles.js';
import { createEntryStore, KEYS } from './store.js';

export type { DatabaseDeps } from './deps.js';
export { PLUGINS, PLUGIN_NAMES } from './plugins.js';

export function createDatabaseBackend(ctx: Pick<BackendContext, 'storage' | 'system'>, deps: DatabaseDeps): Backend {
  const engine = createEngineContext(createEntryStore(ctx.storage), ctx.system, deps);
  const rotation = createStaticRotation(engine);
  rotation.start();
  return {
    paths: [...configPaths(engine), ...rolePaths(engine), ...credsPaths(engine), ...staticRolePaths(engine, rotation)],
    sealWrapStorage: [`${KEYS.config}*`, `${KEYS.staticRole}*`],
    secrets: { [CREDS_SECRET]: credsSecret(engine) },
    async cleanup() {
      await rotation.stop();
      await engine.closeAll();
    },
  };
}
