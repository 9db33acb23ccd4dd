/** KV v2 `subkeys/<path>`: the shape of a secret with every value replaced by null. */
import { InvalidRequest, StorageError } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { KvV2Deps } from './store.js';
import { isLive, versionView } from './versions.js';

/**
 * Replaces leaves (non-objects and empty objects) with null, keeping nesting. Objects deeper than
 * `maxDepth` (0 = unlimited) become null too, so no value below the cut can leak.
 */
export function subkeysOf(input: Record<string, unknown>, maxDepth: number, depth = 1): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const nested = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const inside = nested && Object.keys(nested).length > 0 && (maxDepth === 0 || depth + 1 <= maxDepth);
    Object.defineProperty(out, key, {
      value: inside ? subkeysOf(nested, maxDepth, depth + 1) : null, enumerable: true, writable: true, configurable: true,
    });
  }
  return out;
}

const fields = {
  path: { type: 'string', required: true, description: 'Location of the secret.' },
  version: { type: 'int', default: 0, description: 'Version to read; 0 or absent = current.' },
  depth: { type: 'int', default: 0, description: 'Deepest nesting level to return; 0 = unlimited.' },
} as const;

export function subkeysPaths(deps: KvV2Deps) {
  const { store, now } = deps;
  return [
    path({
      pattern: 'subkeys/:path*',
      fields,
      synopsis: 'Read the structure of a secret entry from the Key-Value store with the values removed.',
      operations: {
        async read(_req, data) {
          if (data.depth < 0) throw new InvalidRequest('depth must be a non-negative integer');
          const meta = await store.metadata(data.path);
          if (!meta) return;
          const version = data.version > 0 ? data.version : meta.currentVersion;
          const vm = meta.versions[String(version)];
          if (!vm) return;
          const body = { subkeys: null as Record<string, unknown> | null, metadata: versionView(meta, version) };
          if (!isLive(vm, now())) return { data: body, statusCode: 404 };
          const stored = await store.versionData(data.path, version);
          if (!stored) throw new StorageError('kv: could not find version data');
          body.subkeys = subkeysOf(stored, data.depth);
          return { data: body };
        },
      },
    }),
  ];
}
