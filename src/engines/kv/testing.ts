/** Test harness: a kv backend on real in-memory storage, driven through the framework dispatcher. */
import { randomBytes } from 'node:crypto';
import type { BarrierStorage } from '../../barrier/types.js';
import { newMountEntry } from '../../core/mounts/manager.js';
import { createDispatcher, type Backend } from '../../framework/backend.js';
import type { CallerIdentity, LogicalRequest, LogicalResponse, Operation } from '../../framework/logical.js';
import { createInmemStorage } from '../../storage/inmem.js';
import { createKvBackend } from './index.js';

export const MOUNT_DEFAULT_TTL = 2764800;

export function logicalRequest(
  operation: Operation, relativePath: string, data: Record<string, unknown>, storage: BarrierStorage, caller?: CallerIdentity,
): LogicalRequest {
  return {
    id: 'test-request', operation, path: `secret/${relativePath}`, mountRelativePath: relativePath, mountPoint: 'secret/',
    mountType: 'kv', mountAccessor: 'kv_test', data, clientToken: caller?.clientToken ?? '', caller, headers: {},
    remoteAddress: '127.0.0.1', storage,
  };
}

/** Every key and value under the view, for "nothing changed" assertions. */
export async function snapshot(storage: BarrierStorage, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await storage.list(prefix)) {
    if (name.endsWith('/')) Object.assign(out, await snapshot(storage, prefix + name));
    else out[prefix + name] = (await storage.get(prefix + name))?.toString('utf8') ?? '';
  }
  return out;
}

/** A controllable clock starting at 2024-01-01T00:00:00Z. */
export function testClock(start = Date.parse('2024-01-01T00:00:00Z')) {
  let at = start;
  return { now: () => new Date(at), advance: (seconds: number) => { at += seconds * 1000; } };
}

export function driver(backend: Backend, storage: BarrierStorage, caller?: CallerIdentity) {
  const dispatcher = createDispatcher(backend);
  return {
    dispatcher,
    call(operation: Operation, relativePath: string, data: Record<string, unknown> = {}): Promise<LogicalResponse> {
      return dispatcher.handle(logicalRequest(operation, relativePath, data, storage, caller));
    },
    exists(relativePath: string, data: Record<string, unknown> = {}): Promise<boolean | undefined> {
      return dispatcher.exists(logicalRequest('update', relativePath, data, storage, caller));
    },
  };
}

export function kvHarness(version: '1' | '2' | undefined, clock = testClock()) {
  const storage = createInmemStorage();
  const mount = newMountEntry('mounts', 'secret/', 'kv', { options: version ? { version } : null });
  const backend = createKvBackend({
    storage,
    mount,
    system: { defaultLeaseTtl: () => MOUNT_DEFAULT_TTL, maxLeaseTtl: () => MOUNT_DEFAULT_TTL, randomBytes: async (n) => randomBytes(n) },
  }, { now: clock.now });
  return { storage, mount, clock, backend, ...driver(backend, storage), snapshot: () => snapshot(storage) };
}
