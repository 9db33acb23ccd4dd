/** The identity backend, mounted at identity/ (Vault's identity store, without OIDC/MFA). */
import type { Backend } from '../../framework/backend.js';
import type { IdentityBackendDeps } from './deps.js';
import { entityPaths } from './entity.js';
import { entityAliasPaths } from './entity-alias.js';
import { groupPaths } from './group.js';
import { lookupPaths } from './lookup.js';

export { createIdentityStore, type IdentityStore } from './store.js';
export type { IdentityBackendDeps } from './deps.js';

export function createIdentityBackend(deps: IdentityBackendDeps): Backend {
  return {
    paths: [...entityPaths(deps), ...entityAliasPaths(deps), ...groupPaths(deps), ...lookupPaths(deps)],
  };
}
