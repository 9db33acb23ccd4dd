/** KV v2 `config`: mount-wide max_versions, cas_required and delete_version_after. */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import { parseDurationSeconds } from '../../util/duration.js';
import type { KvV2Deps } from './store.js';
import { DELETE_VERSION_AFTER_DISABLED } from './versions.js';
import { formatDuration } from '../../util/duration.js';

/** Signed duration: negative turns the feature off, 0 clears it, positive sets it (seconds). */
export function parseSignedDuration(raw: unknown): number {
  const negative = (typeof raw === 'number' && raw < 0) || (typeof raw === 'string' && raw.trim().startsWith('-'));
  const magnitude = negative
    ? parseDurationSeconds(typeof raw === 'number' ? -raw : (raw as string).trim().slice(1))
    : parseDurationSeconds(raw);
  if (magnitude === undefined) {
    throw new InvalidRequest('error converting input for field "delete_version_after": expected a duration such as "90s" or "1h"');
  }
  if (negative && magnitude > 0) return DELETE_VERSION_AFTER_DISABLED;
  return magnitude;
}

const fields = {
  max_versions: { type: 'int', description: 'Versions to keep for each key; 0 = 10.' },
  cas_required: { type: 'bool', description: 'Require the cas option on every write.' },
  delete_version_after: { type: 'any', description: 'Delete versions this long after writing; negative disables, 0 clears.' },
} as const;

export function configPaths(deps: KvV2Deps) {
  const { store, locks } = deps;
  return [
    path({
      pattern: 'config',
      fields,
      synopsis: 'Configures settings for the KV store',
      operations: {
        async read() {
          const config = await store.config();
          return {
            data: {
              cas_required: config.casRequired,
              delete_version_after: formatDuration(config.deleteVersionAfter),
              max_versions: config.maxVersions,
            },
          };
        },
        async update(_req, data) {
          if (data.max_versions === undefined && data.cas_required === undefined && data.delete_version_after === undefined) return;
          if (data.max_versions !== undefined && (data.max_versions < 0 || data.max_versions > 0xffffffff)) {
            throw new InvalidRequest('max_versions must be a non-negative integer');
          }
          const dva = data.delete_version_after === undefined ? undefined : parseSignedDuration(data.delete_version_after);
          await locks.run('\u0000config', async () => {
            const config = await store.config();
            if (data.max_versions !== undefined) config.maxVersions = data.max_versions;
            if (data.cas_required !== undefined) config.casRequired = data.cas_required;
            if (dva !== undefined) config.deleteVersionAfter = dva;
            await store.putConfig(config);
          });
        },
      },
    }),
  ];
}
