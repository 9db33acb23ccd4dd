/** KV v2 `data/<path>`: read a version, write a new one, patch the current one, soft-delete it. */
import { InvalidRequest, NotFound, StorageError } from '../../errors.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { mergePatch } from './merge-patch.js';
import type { KvV2Deps } from './store.js';
import { addVersion, checkCas, checkSecretPath, isLive, newKeyMetadata, softDelete, versionView, type KeyMetadata } from './versions.js';

const fields = {
  path: { type: 'string', required: true, description: 'Location of the secret.' },
  version: { type: 'int', default: 0, description: 'Version to read; 0 or absent = current.' },
  options: { type: 'map', description: 'Write options; `cas` = expected current version (0 = must not exist).' },
  data: { type: 'map', description: 'The secret: stored and returned on read.' },
} as const;

export function dataPaths(deps: KvV2Deps) {
  const { store, locks, now } = deps;

  /** Stores `content` as the next version and answers with its metadata. */
  async function writeVersion(meta: KeyMetadata, content: Record<string, unknown>): Promise<LogicalResponse> {
    const config = await store.config();
    const { version, purge } = addVersion(meta, config, now());
    // Issued together: group commit puts the version, its metadata and the purge in one
    // storage transaction (and one fsync) instead of one each.
    await Promise.all([
      store.putVersionData(meta.key, version, content),
      store.putMetadata(meta),
      ...purge.map((n) => store.deleteVersionData(meta.key, n)),
    ]);
    return { data: versionView(meta, version) };
  }

  return [
    path({
      pattern: 'data/:path*',
      fields,
      synopsis: 'Write, Patch, Read, and Delete data in the Key-Value Store.',
      existenceCheck: async (_req, data) => (await store.metadata(data.path)) !== undefined,
      operations: {
        async read(_req, data) {
          const meta = await store.metadata(data.path);
          if (!meta) return;
          const version = data.version > 0 ? data.version : meta.currentVersion;
          const vm = meta.versions[String(version)];
          if (!vm) return;
          const body = { data: null as Record<string, unknown> | null, metadata: versionView(meta, version) };
          if (!isLive(vm, now())) return { data: body, statusCode: 404 };
          const stored = await store.versionData(data.path, version);
          if (!stored) throw new StorageError('kv: could not find version data');
          body.data = stored;
          return { data: body };
        },

        async update(_req, data) {
          const content = data.data;
          checkSecretPath(data.path);
          if (content === undefined) throw new InvalidRequest('no data provided');
          return locks.run(data.path, async () => {
            const config = await store.config();
            const meta = (await store.metadata(data.path)) ?? newKeyMetadata(data.path, now());
            checkCas(data.options, config, meta);
            return writeVersion(meta, content);
          });
        },

        async patch(_req, data) {
          const patch = data.data;
          checkSecretPath(data.path);
          if (patch === undefined) throw new InvalidRequest('no data provided');
          return locks.run(data.path, async () => {
            const meta = await store.metadata(data.path);
            if (!meta) throw new NotFound('');
            checkCas(data.options, await store.config(), meta);
            const current = meta.currentVersion;
            const vm = meta.versions[String(current)];
            if (!vm) throw new NotFound('');
            if (!isLive(vm, now())) return { data: versionView(meta, current), statusCode: 404 };
            const stored = await store.versionData(data.path, current);
            if (!stored) throw new StorageError('kv: could not find version data');
            return writeVersion(meta, mergePatch(stored, patch) as Record<string, unknown>);
          });
        },

        async delete(_req, data) {
          await locks.run(data.path, async () => {
            const meta = await store.metadata(data.path);
            if (!meta) return;
            const before = JSON.stringify(meta.versions);
            softDelete(meta, [meta.currentVersion], now());
            if (JSON.stringify(meta.versions) !== before) await store.putMetadata(meta);
          });
        },
      },
    }),
  ];
}
