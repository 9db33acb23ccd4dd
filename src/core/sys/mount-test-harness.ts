/**
 * Test wiring for the sys/ mount path groups: a real AES-GCM barrier over in-memory storage,
 * the real mount manager, token store, policy store and ACL provider, and the sys backend
 * driven through its dispatcher (no HTTP, no pipeline). Used by the *.test.ts files here.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createInmemStorage } from '../../storage/inmem.js';
import { createAesGcmBarrier } from '../../barrier/aes-gcm-barrier.js';
import type { Backend } from '../../framework/backend.js';
import type { LogicalRequest, LogicalResponse, Operation } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { createBackendRegistry } from '../mounts/registry.js';
import { defaultMounts } from '../mounts/defaults.js';
import { createMountManager, newMountEntry } from '../mounts/manager.js';
import type { MountEntry } from '../mounts/entry.js';
import { createTokenStore } from '../tokens/store.js';
import { createPolicyStore } from '../policy/store.js';
import { createAclProvider } from '../policy/acl-cache.js';
import type { Core } from '../core.js';
import type { SysContext } from './context.js';
import { createSysBackend, type PathGroupFactory } from './index.js';
import { mountsPaths } from './mounts.js';
import { authPaths } from './auth.js';
import { remountPaths } from './remount.js';
import { internalUiPaths } from './internal-ui.js';

export const SYSTEM_DEFAULT_TTL = 2_764_800;
export const SYSTEM_MAX_TTL = 2_764_800;

/** A minimal key/value engine over the mount's own storage, so data survival is observable. */
const STORE_FIELDS = { key: { type: 'string', required: true }, value: { type: 'string' } } as const;

function storeBackend(storage: { get(k: string): Promise<Buffer | undefined>; put(k: string, v: Buffer): Promise<void> }): Backend {
  return {
    paths: [
      path({
        pattern: ':key*',
        fields: STORE_FIELDS,
        operations: {
          read: async (_req, data) => {
            const raw = await storage.get(data.key);
            return raw ? { data: { value: raw.toString('utf8') } } : undefined;
          },
          update: async (_req, data) => {
            await storage.put(data.key, Buffer.from(data.value ?? ''));
          },
        },
      }),
    ],
  };
}

export interface Harness {
  ctx: SysContext;
  rootToken: string;
  /** Every prefix whose leases the manager asked to revoke. */
  revokedPrefixes: string[];
  /** Backends built per type (counts rebuilds, e.g. KV upgrade). */
  builds: Map<string, number>;
  call(operation: Operation, sysPath: string, data?: Record<string, unknown>, token?: string): Promise<LogicalResponse>;
  /** A request to a mounted engine (not sys/), through its dispatcher. */
  engine(operation: Operation, fullPath: string, data?: Record<string, unknown>): Promise<LogicalResponse>;
  token(policies: string[]): Promise<string>;
  setPolicy(name: string, hcl: string): Promise<void>;
  /** Keys stored under a barrier prefix (e.g. a mount's `logical/<uuid>/`). */
  storedKeys(prefix: string): Promise<string[]>;
  /** The persisted mount table as it would load after a restart. */
  storedTable(table: 'mounts' | 'auth'): Promise<MountEntry[]>;
}

export async function createHarness(groups: PathGroupFactory[] = [mountsPaths, authPaths, remountPaths, internalUiPaths]): Promise<Harness> {
  const storage = createInmemStorage();
  const random = async (n: number): Promise<Buffer> => randomBytes(n);
  const barrier = createAesGcmBarrier(storage, { random });
  const rootKey = randomBytes(32);
  await barrier.initialize(rootKey);
  await barrier.unseal(rootKey);

  const registry = createBackendRegistry();
  const revokedPrefixes: string[] = [];
  const builds = new Map<string, number>();
  const mounts = createMountManager({
    barrier,
    registry,
    randomBytes: random,
    systemDefaults: () => ({ defaultLeaseTtl: SYSTEM_DEFAULT_TTL, maxLeaseTtl: SYSTEM_MAX_TTL }),
    revokeLeasesWithPrefix: async (prefix) => { revokedPrefixes.push(prefix); },
  });
  const tokens = createTokenStore({ storage: barrier.view('sys/token/') });
  await tokens.load();
  const policies = createPolicyStore({ storage: barrier.view('sys/policy/') });
  await policies.load();
  const acl = createAclProvider(policies);
  // The path groups under test use only `core.tokens`; a full Core needs a seal.
  const core = { tokens } as unknown as Core;
  const ctx: SysContext = { core, mounts, registry, policies, acl };

  const counted = (type: string, build: (s: Parameters<typeof storeBackend>[0]) => Backend) =>
    (c: { storage: Parameters<typeof storeBackend>[0] }) => {
      builds.set(type, (builds.get(type) ?? 0) + 1);
      return build(c.storage);
    };
  registry.register('mounts', 'system', () => createSysBackend(ctx, groups));
  registry.register('mounts', 'cubbyhole', () => ({ paths: [] }));
  registry.register('mounts', 'identity', () => ({ paths: [] }));
  registry.register('mounts', 'kv', counted('kv', storeBackend));
  registry.register('mounts', 'transit', counted('transit', storeBackend));
  registry.register('auth', 'token', () => ({ paths: [] }));
  registry.register('auth', 'userpass', counted('userpass', storeBackend));
  registry.register('auth', 'approle', counted('approle', storeBackend));

  await mounts.load(defaultMounts());

  const { id: rootToken } = await tokens.create({
    parent: '', policies: ['root'], path: 'auth/token/root', displayName: 'root', ttl: 0, renewable: false,
  });

  async function dispatch(operation: Operation, fullPath: string, data: Record<string, unknown>, token: string): Promise<LogicalResponse> {
    const mount = mounts.route(fullPath);
    if (!mount) throw new Error(`test harness: nothing mounted for ${fullPath}`);
    const req: LogicalRequest = {
      id: randomUUID(),
      operation,
      path: fullPath,
      mountRelativePath: fullPath.slice(mount.prefix.length),
      mountPoint: mount.prefix,
      mountType: mount.entry.type,
      mountAccessor: mount.entry.accessor,
      data,
      clientToken: token,
      headers: {},
      remoteAddress: '127.0.0.1',
      storage: mount.storage,
    };
    return mount.dispatcher.handle(req);
  }

  return {
    ctx,
    rootToken,
    revokedPrefixes,
    builds,
    call: (operation, sysPath, data = {}, token = rootToken) => dispatch(operation, `sys/${sysPath}`, data, token),
    engine: (operation, fullPath, data = {}) => dispatch(operation, fullPath, data, rootToken),
    async token(list) {
      const { id } = await tokens.create({ parent: '', policies: list, path: 'auth/token/create', displayName: 'token', ttl: 3600, renewable: true });
      return id;
    },
    async setPolicy(name, hcl) {
      await policies.set(name, hcl);
    },
    storedKeys: (prefix) => barrier.list(prefix),
    async storedTable(table) {
      const raw = await barrier.get(table === 'auth' ? 'core/auth' : 'core/mounts');
      return raw ? (JSON.parse(raw.toString('utf8')) as { entries: MountEntry[] }).entries : [];
    },
  };
}
