/** KV v2 `metadata/<path>`: per-key settings and version history; list the key tree; delete all. */
import { InvalidRequest, NotFound } from '../../errors.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { mergePatch } from './merge-patch.js';
import type { KvV2Deps } from './store.js';
import { listPrefix } from './v1.js';
import {
  checkSecretPath, metadataView, newKeyMetadata, parseCustomMetadata, validateCustomMetadata, type KeyMetadata,
} from './versions.js';

const CAS_IGNORED_WARNING = '"cas_required" set to false, but is mandated by backend config. This value will be ignored.';

const fields = {
  path: { type: 'string', default: '', description: 'Location of the secret.' },
  max_versions: { type: 'int', description: 'Versions to keep; 0 = the mount setting.' },
  cas_required: { type: 'bool', description: 'Require `cas` on every write of this key.' },
  delete_version_after: { type: 'duration', description: 'Delete each version this long after it is written; 0 = the mount setting.' },
  custom_metadata: { type: 'map', description: 'Version-independent key/value pairs describing the secret.' },
} as const;

function checkMaxVersions(value: number | undefined): void {
  if (value !== undefined && (value < 0 || value > 0xffffffff)) throw new InvalidRequest('max_versions must be a non-negative integer');
}

export function metadataPaths(deps: KvV2Deps) {
  const { store, locks, now } = deps;

  async function list(prefix: string): Promise<LogicalResponse> {
    return { data: { keys: await store.listMetadata(listPrefix(prefix)) } };
  }

  async function casWarning(casRequired: boolean | undefined): Promise<LogicalResponse | void> {
    if (casRequired === false && (await store.config()).casRequired) return { warnings: [CAS_IGNORED_WARNING] };
  }

  return [
    path({
      pattern: 'metadata/',
      synopsis: 'List the keys at the root of the KV store.',
      operations: { list: async () => list('') },
    }),
    path({
      pattern: 'metadata/:path*',
      fields,
      synopsis: 'Allows interaction with key metadata and settings in the KV store.',
      existenceCheck: async (_req, data) => (await store.metadata(data.path)) !== undefined,
      operations: {
        list: async (_req, data) => list(data.path),

        async read(_req, data) {
          const meta = await store.metadata(data.path);
          if (meta) return { data: metadataView(meta) };
        },

        async update(_req, data) {
          const given = [data.max_versions, data.cas_required, data.delete_version_after, data.custom_metadata];
          checkSecretPath(data.path);
          if (given.every((v) => v === undefined)) return;
          checkMaxVersions(data.max_versions);
          let custom: Record<string, string> | undefined;
          if (data.custom_metadata !== undefined) {
            custom = parseCustomMetadata(data.custom_metadata, false);
            validateCustomMetadata(custom);
          }
          const response = await casWarning(data.cas_required);
          await locks.run(data.path, async () => {
            const meta = (await store.metadata(data.path)) ?? newKeyMetadata(data.path, now());
            if (data.max_versions !== undefined) meta.maxVersions = data.max_versions;
            if (data.cas_required !== undefined) meta.casRequired = data.cas_required;
            if (data.delete_version_after !== undefined) meta.deleteVersionAfter = data.delete_version_after;
            if (custom !== undefined) meta.customMetadata = custom;
            await store.putMetadata(meta);
          });
          return response;
        },

        async patch(req, data) {
          checkSecretPath(data.path);
          checkMaxVersions(data.max_versions);
          const rawCustom = req.data.custom_metadata;
          if (rawCustom !== undefined && rawCustom !== null) {
            if (typeof rawCustom !== 'object' || Array.isArray(rawCustom)) {
              throw new InvalidRequest('error converting input for field "custom_metadata": expected a map');
            }
            validateCustomMetadata(parseCustomMetadata(rawCustom as Record<string, unknown>, true));
          }
          const response = await casWarning(data.cas_required);
          await locks.run(data.path, async () => {
            const meta = await store.metadata(data.path);
            if (!meta) throw new NotFound('');
            const next: KeyMetadata = { ...meta };
            if (data.max_versions !== undefined) next.maxVersions = data.max_versions;
            if (data.cas_required !== undefined) next.casRequired = data.cas_required;
            if (data.delete_version_after !== undefined) next.deleteVersionAfter = data.delete_version_after;
            if (rawCustom === null) next.customMetadata = null;
            else if (rawCustom !== undefined) {
              const merged = mergePatch(meta.customMetadata ?? {}, rawCustom) as Record<string, unknown>;
              const custom = parseCustomMetadata(merged, true);
              validateCustomMetadata(custom);
              next.customMetadata = custom;
            }
            await store.putMetadata(next);
          });
          return response;
        },

        async delete(_req, data) {
          await locks.run(data.path, async () => {
            const meta = await store.metadata(data.path);
            if (!meta) return;
            await store.deleteAllVersionData(data.path);
            await store.deleteMetadata(data.path);
          });
        },
      },
    }),
  ];
}
