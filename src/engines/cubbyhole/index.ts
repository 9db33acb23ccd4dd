/**
 * The `cubbyhole` secrets engine: a private KV-v1-like store per token. Every key lives under
 * the caller's own prefix `<salted token id>/` in the mount's view, so no token can reach
 * another's entries; the whole prefix is destroyed when the token is revoked.
 *
 * Stored layout (shared with core/wrapping/cubbyhole.ts, which writes `response` and
 * `wrapinfo` for wrapping tokens): `<tokenId>/<key>` = the JSON of the written data map, as
 * Vault stores it.
 */
import type { BarrierStorage } from '../../barrier/types.js';
import type { BackendContext } from '../../core/mounts/registry.js';
import { InvalidRequest, PermissionDenied, StorageError } from '../../errors.js';
import type { Backend } from '../../framework/backend.js';
import type { LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';

/** The storage prefix of one token's cubbyhole. Refuses ids that could escape or widen it. */
export function cubbyholePrefix(tokenId: string): string {
  if (tokenId === '' || tokenId.includes('/')) throw new InvalidRequest('invalid token id for a cubbyhole');
  return `${tokenId}/`;
}

async function deleteTree(storage: BarrierStorage, prefix: string): Promise<void> {
  for (const name of await storage.list(prefix)) {
    if (name.endsWith('/')) await deleteTree(storage, prefix + name);
    else await storage.delete(prefix + name);
  }
}

/** Removes every entry of a token's cubbyhole (token revocation). */
export async function destroyCubbyhole(storage: BarrierStorage, tokenId: string): Promise<void> {
  await deleteTree(storage, cubbyholePrefix(tokenId));
}

function decodeMap(raw: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new StorageError('cubbyhole: entry is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new StorageError('cubbyhole: entry is not a map');
  return parsed as Record<string, unknown>;
}

function isFolderOrRoot(relative: string): boolean {
  return relative === '' || relative.endsWith('/');
}

export function createCubbyholeBackend(ctx: Pick<BackendContext, 'storage'>): Backend {
  const { storage } = ctx;

  function prefixOf(req: LogicalRequest): string {
    if (!req.caller) throw new PermissionDenied();
    return cubbyholePrefix(req.caller.tokenId);
  }

  async function read(req: LogicalRequest): Promise<Record<string, unknown> | undefined> {
    const prefix = prefixOf(req);
    if (isFolderOrRoot(req.mountRelativePath)) return undefined;
    const raw = await storage.get(prefix + req.mountRelativePath);
    return raw ? decodeMap(raw) : undefined;
  }

  const operations = {
    async read(req: LogicalRequest): Promise<LogicalResponse | void> {
      const data = await read(req);
      if (data) return { data };
    },
    async list(req: LogicalRequest): Promise<LogicalResponse> {
      const prefix = prefixOf(req);
      const relative = req.mountRelativePath;
      const folder = relative === '' || relative.endsWith('/') ? relative : `${relative}/`;
      return { data: { keys: await storage.list(prefix + folder) } };
    },
    async update(req: LogicalRequest): Promise<void> {
      const prefix = prefixOf(req);
      if (isFolderOrRoot(req.mountRelativePath)) throw new InvalidRequest('missing path');
      if (Object.keys(req.data).length === 0) throw new InvalidRequest('missing data fields');
      await storage.put(prefix + req.mountRelativePath, Buffer.from(JSON.stringify(req.data), 'utf8'));
    },
    async delete(req: LogicalRequest): Promise<void> {
      const prefix = prefixOf(req);
      if (isFolderOrRoot(req.mountRelativePath)) return;
      await storage.delete(prefix + req.mountRelativePath);
    },
  };

  // The key is the request's own path, never a body field.
  const shared = {
    arbitraryData: true,
    operations,
    // Core may ask before it has resolved the caller; without one nothing can exist yet.
    existenceCheck: async (req: LogicalRequest) => (req.caller ? (await read(req)) !== undefined : false),
    synopsis: 'Pass-through secret storage to a token-specific cubbyhole in the storage backend.',
  };
  return {
    paths: [path({ pattern: '', ...shared }), path({ pattern: ':path*', ...shared })],
  };
}
