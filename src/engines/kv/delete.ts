/** KV v2 `delete/`, `undelete/` and `destroy/`: act on listed versions of one key. */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { KvV2Deps } from './store.js';
import { destroy, parseVersionList, softDelete, undelete } from './versions.js';

const fields = {
  path: { type: 'string', required: true, description: 'Location of the secret.' },
  versions: { type: 'any', description: 'Version numbers: a list, or a comma-separated string.' },
} as const;

function requireVersions(raw: unknown): number[] {
  const versions = parseVersionList(raw);
  if (versions.length === 0) throw new InvalidRequest('No version number provided');
  return versions;
}

export function deletePaths(deps: KvV2Deps) {
  const { store, locks, now } = deps;

  return [
    path({
      pattern: 'delete/:path*',
      fields,
      synopsis: 'Marks one or more versions as deleted in the KV store.',
      operations: {
        async update(_req, data) {
          const versions = requireVersions(data.versions);
          await locks.run(data.path, async () => {
            const meta = await store.metadata(data.path);
            if (!meta) return;
            softDelete(meta, versions, now());
            await store.putMetadata(meta);
          });
        },
      },
    }),
    path({
      pattern: 'undelete/:path*',
      fields,
      synopsis: 'Undeletes one or more versions from the KV store.',
      operations: {
        async update(_req, data) {
          const versions = requireVersions(data.versions);
          await locks.run(data.path, async () => {
            const meta = await store.metadata(data.path);
            if (!meta) return;
            undelete(meta, await store.config(), versions, now());
            await store.putMetadata(meta);
          });
        },
      },
    }),
    path({
      pattern: 'destroy/:path*',
      fields,
      synopsis: 'Permanently removes one or more versions in the KV store.',
      operations: {
        async update(_req, data) {
          const versions = requireVersions(data.versions);
          await locks.run(data.path, async () => {
            const meta = await store.metadata(data.path);
            if (!meta) return;
            const removed = destroy(meta, versions);
            await store.putMetadata(meta);
            for (const n of removed) await store.deleteVersionData(data.path, n);
          });
        },
      },
    }),
  ];
}
