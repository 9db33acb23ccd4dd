/**
 * The token auth method (auth/token/): core-internal, so unlike other auth methods it creates
 * tokens itself through the token store and returns them as `mintedAuth`.
 */
import type { Backend } from '../../framework/backend.js';
import { createPaths } from './create.js';
import type { TokenBackendDeps } from './deps.js';
import { lookupPaths } from './lookup.js';
import { maintenancePaths } from './maintenance.js';
import { renewPaths } from './renew.js';
import { revokePaths } from './revoke.js';
import { createRoleStore } from './role.js';
import { rolePaths } from './roles.js';

export type { TokenBackendDeps, TokenLeases } from './deps.js';
export { sudoFromAcl } from './deps.js';

export function createTokenBackend(deps: TokenBackendDeps): Backend {
  const roles = createRoleStore(deps.storage);
  return {
    paths: [
      ...createPaths(deps, roles),
      ...lookupPaths(deps),
      ...renewPaths(deps, roles),
      ...revokePaths(deps),
      ...rolePaths(roles),
      ...maintenancePaths(deps),
    ],
    rootPaths: ['revoke-orphan', 'revoke-orphan/*', 'accessors*'],
  };
}
