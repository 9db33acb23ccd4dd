/**
 * The `kv` secrets engine. One mount type, two behaviours chosen per request from the mount's
 * live `options.version` ("2" → versioned, anything else → v1 passthrough), so a tune that
 * upgrades a mount takes effect at once: the first request after it converts the v1 data
 * while concurrent requests wait for that conversion.
 */
import type { BackendContext } from '../../core/mounts/registry.js';
import type { MountEntry } from '../../core/mounts/entry.js';
import { createDispatcher, type Backend, type Dispatcher } from '../../framework/backend.js';
import type { LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { configPaths } from './config.js';
import { dataPaths } from './data.js';
import { deletePaths } from './delete.js';
import { invalidPaths } from './invalid.js';
import { createKeyLocks } from './key-locks.js';
import { metadataPaths } from './metadata.js';
import { createVersionedStore, type KvV2Deps } from './store.js';
import { subkeysPaths } from './subkeys.js';
import { upgradeToVersioned } from './upgrade.js';
import { kvV1Backend } from './v1.js';

export function kvVersion(mount: Pick<MountEntry, 'options'>): 1 | 2 {
  return mount.options?.version === '2' ? 2 : 1;
}

export function kvV2Backend(deps: KvV2Deps): Backend {
  return {
    paths: [
      ...configPaths(deps),
      ...dataPaths(deps),
      ...metadataPaths(deps),
      ...deletePaths(deps),
      ...subkeysPaths(deps),
      ...invalidPaths(),
    ],
  };
}

export interface KvBackendOptions {
  /** Clock for created/deletion times (tests). */
  now?: () => Date;
}

export function createKvBackend(ctx: BackendContext, options: KvBackendOptions = {}): Backend {
  const now = options.now ?? (() => new Date());
  const store = createVersionedStore(ctx.storage, `${ctx.mount.uuid}/`);
  const v1 = createDispatcher(kvV1Backend({
    storage: ctx.storage,
    defaultLeaseTtl: () => ctx.system.defaultLeaseTtl(),
    hiddenFolder: store.root,
  }));
  const v2 = createDispatcher(kvV2Backend({ store, locks: createKeyLocks(), now }));

  let upgraded = false;
  let upgrading: Promise<void> | undefined;

  async function ensureUpgraded(): Promise<void> {
    if (upgraded) return;
    upgrading ??= upgradeToVersioned(ctx.storage, store, now)
      .then(() => { upgraded = true; })
      .finally(() => { upgrading = undefined; });
    await upgrading;
  }

  async function active(): Promise<Dispatcher> {
    if (kvVersion(ctx.mount) === 1) return v1;
    await ensureUpgraded();
    return v2;
  }

  /** The dispatcher when no upgrade is pending (every request but the first ones after a tune). */
  function ready(): Dispatcher | undefined {
    if (kvVersion(ctx.mount) === 1) return v1;
    return upgraded ? v2 : undefined;
  }

  const forward = (req: LogicalRequest): Promise<LogicalResponse> => ready()?.handle(req) ?? active().then((d) => d.handle(req));
  const shared = {
    arbitraryData: true,
    synopsis: 'Key/value secret storage (v1 passthrough or v2 versioned, per the mount option "version").',
    operations: { read: forward, list: forward, create: forward, update: forward, patch: forward, delete: forward },
    // A path without its own existence check counts as existing: the write stays `update`.
    existenceCheck: async (req: LogicalRequest) => (await (await active()).exists(req)) ?? true,
  };
  return {
    paths: [path({ pattern: '', ...shared }), path({ pattern: ':path*', ...shared })],
    describe: () => (kvVersion(ctx.mount) === 1 ? v1 : v2).backend.paths,
  };
}
