/**
 * The `pki` secrets engine (Vault's PKI API, one issuer per mount): CA generation and
 * intermediates, roles, issue/sign, revocation with CRL and OCSP. The CA key and a pending
 * intermediate key are seal-wrapped.
 */
import type { BackendContext } from '../../core/mounts/registry.js';
import type { Backend } from '../../framework/backend.js';
import { caPaths } from './ca.js';
import type { PkiDeps } from './deps.js';
import { CERT_SECRET, issuePaths } from './issue.js';
import { ocspPaths } from './ocsp-paths.js';
import { buildCrl, revokePaths, revokeSerial } from './revoke.js';
import { rolePaths } from './roles.js';
import { createPkiStore, SEAL_WRAPPED } from './store.js';
import { urlsPaths } from './urls.js';

export interface PkiOptions {
  now?: () => Date;
}

export function createPkiBackend(ctx: Pick<BackendContext, 'storage' | 'system'>, options: PkiOptions = {}): Backend {
  const store = createPkiStore(ctx.storage);
  const now = options.now ?? (() => new Date());
  const deps: PkiDeps = {
    store,
    system: ctx.system,
    now,
    rebuildCrl: () => buildCrl(store, now()),
  };
  return {
    paths: [
      ...caPaths(deps),
      ...urlsPaths(deps),
      ...rolePaths(deps),
      ...issuePaths(deps),
      ...revokePaths(deps),
      ...ocspPaths(deps),
    ],
    unauthenticatedPaths: ['cert/*', 'ca/pem', 'ca_chain', 'ca', 'crl', 'crl/pem', 'ocsp', 'ocsp/*'],
    sealWrapStorage: SEAL_WRAPPED,
    secrets: {
      [CERT_SECRET]: {
        async revoke(_req, lease) {
          const serial = lease.internal.serial_number;
          if (typeof serial !== 'string') return;
          const record = await store.getCert(serial);
          // no_store certificates cannot be put on the CRL; the lease simply ends.
          if (!record) return;
          await revokeSerial(deps, serial);
        },
      },
    },
  };
}
