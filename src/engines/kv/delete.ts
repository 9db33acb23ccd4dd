/** KV v2 `delete/`, `undelete/` and `destroy/`: act on listed versions of one key. */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { KvV2Deps } from './store.js';
import type { KeyMetadata } from './versions.js';
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

  /**
   * One path per action: validate the version list, then, under the key's lock, change the
   * metadata (and drop destroyed versions' data) in writes issued together, so group commit
   * lands them in one storage transaction. A missing key is a no-op, as in Vault.
   */
  function versionsPath(action: string, synopsis: string, apply: (meta: KeyMetadata, versions: number[]) => Promise<number[]>) {
    return path({
      pattern: `${action}/:path*`,
      fields,
      synopsis,
      operations: {
        async update(_req, data) {
          const versions = requireVersions(data.versions);
          await locks.run(data.path, async () => {
            const meta = await store.metadata(data.path);
            if (!meta) return;
            const removed = await apply(meta, versions);
            await Promise.all([store.putMetadata(meta), ...removed.map((n) => store.deleteVersionData(data.path, n))]);
          });
        },
      },
    });
  }

  return [
    versionsPath('delete', 'Marks one or more versions as deleted in the KV store.', async (meta, versions) => {
      softDelete(meta, versions, now());
      return [];
    }),
    versionsPath('undelete', 'Undeletes one or more versions from the KV store.', async (meta, versions) => {
      undelete(meta, await store.config(), versions, now());
      return [];
    }),
    versionsPath('destroy', 'Permanently removes one or more versions in the KV store.', async (meta, versions) => destroy(meta, versions)),
  ];
}
