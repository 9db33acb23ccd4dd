/** Identity tokens (Vault's identity/oidc/*): the path groups, and what the backend declares. */
import type { PathDef } from '../../../framework/path.js';
import { configPaths } from './config-paths.js';
import type { OidcDeps } from './deps.js';
import { keyPaths } from './key-paths.js';
import { rolePaths } from './role-paths.js';
import { tokenPaths } from './token-paths.js';
import { wellKnownPaths } from './well-known-paths.js';

export { OIDC_SEAL_WRAP_STORAGE, createOidcStore } from './store.js';
export { OIDC_UNAUTHENTICATED_PATHS } from './well-known-paths.js';
export { createSigner, type OidcDeps } from './deps.js';

export function oidcPaths(deps: OidcDeps): PathDef<any>[] {
  return [...configPaths(deps), ...keyPaths(deps), ...rolePaths(deps), ...tokenPaths(deps), ...wellKnownPaths(deps)];
}
