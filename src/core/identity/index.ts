/** The identity backend, mounted at identity/ (Vault's identity store and identity tokens, without MFA). */
import type { Backend } from '../../framework/backend.js';
import type { IdentityBackendDeps } from './deps.js';
import { entityPaths } from './entity.js';
import { entityAliasPaths } from './entity-alias.js';
import { groupPaths } from './group.js';
import { lookupPaths } from './lookup.js';
import { createOidcStore, createSigner, OIDC_SEAL_WRAP_STORAGE, OIDC_UNAUTHENTICATED_PATHS, oidcPaths } from './oidc/index.js';

export { createIdentityStore, type IdentityStore } from './store.js';
export type { IdentityBackendDeps } from './deps.js';

export function createIdentityBackend(deps: IdentityBackendDeps): Backend {
  // Identity-token keys rotate lazily, at use (no timer): this backend runs on the active node only.
  const signer = createSigner();
  const oidc = {
    identity: deps.store,
    oidc: createOidcStore(),
    now: deps.now ?? (() => Date.now()),
    apiAddr: deps.apiAddr ?? (() => undefined),
    signer,
  };
  return {
    paths: [...entityPaths(deps), ...entityAliasPaths(deps), ...groupPaths(deps), ...lookupPaths(deps), ...oidcPaths(oidc)],
    unauthenticatedPaths: OIDC_UNAUTHENTICATED_PATHS,
    sealWrapStorage: OIDC_SEAL_WRAP_STORAGE,
    async cleanup() {
      signer.clear();
    },
  };
}
