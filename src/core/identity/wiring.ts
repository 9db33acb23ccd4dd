/**
 * How the composition root plugs the identity store in: its storage, the seal-time unload,
 * the identity/ backend factory and the pipeline's IdentityResolver.
 */
import type { BarrierStorage } from '../../barrier/types.js';
import type { Subsystem } from '../core.js';
import type { AclProvider, IdentityResolver } from '../request/ports.js';
import type { Backend } from '../../framework/backend.js';
import { createIdentityStore, type IdentityStore } from './store.js';
import { createIdentityBackend } from './index.js';
import type { MountLookup } from './types.js';

export interface IdentityWiring {
  store: IdentityStore;
  subsystem: Subsystem;
  resolver: IdentityResolver;
  backend(): Backend;
}

export function wireIdentity(deps: {
  storage: BarrierStorage;
  acl: AclProvider;
  mounts: { byAccessor(accessor: string): { entry: { type: string; path: string; table: string } } | undefined };
  /** The server's api_addr (config, else the bound listener): the default identity-token issuer. */
  apiAddr?: () => string | undefined;
}): IdentityWiring {
  const store = createIdentityStore({ storage: deps.storage });
  const mountLookup: MountLookup = {
    byAccessor(accessor) {
      const m = deps.mounts.byAccessor(accessor);
      return m && { type: m.entry.type, path: m.entry.path, table: m.entry.table };
    },
  };
  return {
    store,
    subsystem: { name: 'identity', load: async () => {}, loadStandby: async () => {}, unload: async () => store.unload() },
    resolver: { entityForLogin: (accessor, auth) => store.entityForLogin(accessor, auth), policiesFor: (id) => store.policiesFor(id) },
    backend: () => createIdentityBackend({
      store,
      mounts: mountLookup,
      apiAddr: deps.apiAddr,
      async authorize(caller, path, operation) {
        if (!caller) return false;
        if (caller.isRoot) return true;
        const extra = await store.policiesFor(caller.entityId);
        const acl = await deps.acl.aclFor([...caller.policies, ...extra]);
        return acl.allowOperation({ path, operation }).allowed;
      },
    }),
  };
}
