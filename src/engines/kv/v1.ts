/**
 * KV v1: a passthrough store. Each key holds one JSON map at its own path in the mount's view
 * (`{"v":1,"data":{...}}`); a write replaces it whole. Reads carry KV's advisory lease hint.
 */
import type { BarrierStorage } from '../../barrier/types.js';
import { InvalidRequest } from '../../errors.js';
import type { Backend } from '../../framework/backend.js';
import type { LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { parseDurationSeconds } from '../../util/duration.js';
import { decodeEntry, encodeEntry } from './store.js';
import { KV_ENTRY_VERSION } from './versions.js';

export interface PlainEntry {
  v: typeof KV_ENTRY_VERSION;
  data: Record<string, unknown>;
}

export function encodePlainEntry(data: Record<string, unknown>): Buffer {
  return encodeEntry({ v: KV_ENTRY_VERSION, data } satisfies PlainEntry);
}

export function decodePlainEntry(raw: Buffer): Record<string, unknown> {
  return decodeEntry<PlainEntry>(raw, 'key/value').data;
}

/** `lease_duration` for a v1 read: a parseable `ttl` (or `lease`) in the data, else the mount default. */
export function advisoryTtlSeconds(data: Record<string, unknown>, mountDefault: number): number {
  const raw = data.ttl ?? data.lease;
  const parsed = raw === undefined ? undefined : parseDurationSeconds(raw);
  return parsed ?? mountDefault;
}

export interface V1Deps {
  storage: BarrierStorage;
  defaultLeaseTtl: () => number;
  /** A top-level folder the listing hides (the versioned root left behind on the same view). */
  hiddenFolder?: string;
}

/** Listing prefix for a request path: the root stays "", anything else ends with "/". */
export function listPrefix(relative: string): string {
  return relative === '' || relative.endsWith('/') ? relative : `${relative}/`;
}

export function kvV1Backend(deps: V1Deps): Backend {
  const { storage } = deps;

  async function read(key: string): Promise<Record<string, unknown> | undefined> {
    if (key === '' || key.endsWith('/')) return undefined;
    const raw = await storage.get(key);
    return raw ? decodePlainEntry(raw) : undefined;
  }

  const operations = {
    async read(req: LogicalRequest): Promise<LogicalResponse | void> {
      const stored = await read(req.mountRelativePath);
      if (!stored) return;
      return {
        data: stored,
        secret: {
          advisory: true,
          ttlSeconds: advisoryTtlSeconds(stored, deps.defaultLeaseTtl()),
          renewable: false,
          type: 'kv',
          internal: {},
        },
      };
    },
    async list(req: LogicalRequest): Promise<LogicalResponse> {
      const prefix = listPrefix(req.mountRelativePath);
      let keys = await storage.list(prefix);
      if (prefix === '' && deps.hiddenFolder) keys = keys.filter((k) => k !== deps.hiddenFolder);
      return { data: { keys } };
    },
    async update(req: LogicalRequest): Promise<void> {
      const key = req.mountRelativePath;
      if (key === '' || key.endsWith('/')) throw new InvalidRequest('missing path');
      if (Object.keys(req.data).length === 0) throw new InvalidRequest('missing data fields');
      await storage.put(key, encodePlainEntry(req.data));
    },
    async delete(req: LogicalRequest): Promise<void> {
      const key = req.mountRelativePath;
      if (key === '' || key.endsWith('/')) return;
      await storage.delete(key);
    },
  };

  // The key is the request's own path, never a body field (a secret may hold a "path" key).
  const shared = {
    arbitraryData: true,
    operations,
    existenceCheck: async (req: LogicalRequest) => (await read(req.mountRelativePath)) !== undefined,
    synopsis: 'Pass-through secret storage to the storage backend, allowing you to read/write arbitrary data into secret storage.',
  };
  return {
    paths: [
      path({ pattern: '', ...shared }),
      path({ pattern: ':path*', ...shared }),
    ],
  };
}
