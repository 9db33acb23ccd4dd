/**
 * The mount table: persisted entries, live backend instances, longest-prefix routing.
 * Every mount reads and writes only through its own barrier view.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SecurityBarrier, BarrierStorage } from '../../barrier/types.js';
import { createDispatcher, type Dispatcher } from '../../framework/backend.js';
import { InvalidRequest } from '../../errors.js';
import { routePrefix, storagePrefix, type MountEntry, type MountTable } from './entry.js';
import type { BackendRegistry, SystemView } from './registry.js';

const TABLE_KEYS: Record<MountTable, string> = { mounts: 'core/mounts', auth: 'core/auth' };
const TABLE_VERSION = 1;

/** Paths nobody may mount over or move. */
const PROTECTED_PREFIXES = ['sys/', 'cubbyhole/', 'identity/', 'auth/'];
/** Types that exist once and cannot be disabled or moved. */
const SINGLETON_TYPES = new Set(['system', 'cubbyhole', 'identity', 'token']);

export interface LiveMount {
  entry: MountEntry;
  prefix: string;
  dispatcher: Dispatcher;
  storage: BarrierStorage;
}

export interface MountManagerDeps {
  barrier: SecurityBarrier;
  registry: BackendRegistry;
  systemDefaults: () => { defaultLeaseTtl: number; maxLeaseTtl: number };
  randomBytes: (n: number) => Promise<Buffer>;
  /** Revokes every lease under a prefix (unmount, remount). */
  revokeLeasesWithPrefix: (prefix: string) => Promise<void>;
}

export function newMountEntry(table: MountTable, path: string, type: string, fields: Partial<MountEntry> = {}): MountEntry {
  return {
    table,
    path,
    type,
    description: fields.description ?? '',
    accessor: `${type}_${randomBytes(4).toString('hex')}`,
    uuid: randomUUID(),
    local: fields.local ?? false,
    sealWrap: fields.sealWrap ?? false,
    externalEntropyAccess: fields.externalEntropyAccess ?? false,
    options: fields.options ?? null,
    config: fields.config ?? { defaultLeaseTtl: 0, maxLeaseTtl: 0, forceNoCache: false },
  };
}

export function createMountManager(deps: MountManagerDeps) {
  const { barrier } = deps;
  let live: LiveMount[] = [];

  function systemView(entry: MountEntry): SystemView {
    return {
      defaultLeaseTtl: () => entry.config.defaultLeaseTtl || deps.systemDefaults().defaultLeaseTtl,
      maxLeaseTtl: () => entry.config.maxLeaseTtl || deps.systemDefaults().maxLeaseTtl,
      randomBytes: deps.randomBytes,
    };
  }

  async function instantiate(entry: MountEntry): Promise<LiveMount> {
    const storage = barrier.view(storagePrefix(entry));
    const backend = await deps.registry.get(entry.table, entry.type)({ storage, mount: entry, system: systemView(entry) });
    return { entry, prefix: routePrefix(entry), dispatcher: createDispatcher(backend), storage };
  }

  function sortLive(): void {
    live.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  async function persist(table: MountTable): Promise<void> {
    const entries = live.filter((m) => m.entry.table === table).map((m) => m.entry);
    await barrier.put(TABLE_KEYS[table], Buffer.from(JSON.stringify({ v: TABLE_VERSION, entries })));
  }

  function conflict(prefix: string): LiveMount | undefined {
    return live.find((m) => m.prefix.startsWith(prefix) || prefix.startsWith(m.prefix));
  }

  async function deleteAll(storage: BarrierStorage, prefix = ''): Promise<void> {
    for (const key of await storage.list(prefix)) {
      if (key.endsWith('/')) await deleteAll(storage, prefix + key);
      else await storage.delete(prefix + key);
    }
  }

  return {
    /** Loads both tables; writes `defaults` for a table that does not exist yet. */
    async load(defaults: MountEntry[]): Promise<void> {
      live = [];
      for (const table of ['mounts', 'auth'] as const) {
        const raw = await barrier.get(TABLE_KEYS[table]);
        const entries: MountEntry[] = raw
          ? (JSON.parse(raw.toString('utf8')) as { entries: MountEntry[] }).entries
          : defaults.filter((d) => d.table === table);
        // Built-in singletons (sys, cubbyhole, identity, token) are always present.
        const missing = defaults.filter((d) => d.table === table && SINGLETON_TYPES.has(d.type) && !entries.some((e) => e.type === d.type));
        for (const entry of [...entries, ...missing]) live.push(await instantiate(entry));
        if (!raw || missing.length > 0) await persist(table);
      }
      sortLive();
    },

    /**
     * HA standby: the mounts `serves` picks, read as the active wrote them. Nothing is written,
     * and no other backend is instantiated (some run background work only the active may run).
     */
    async loadStandby(serves: (entry: MountEntry) => boolean): Promise<void> {
      const next: LiveMount[] = [];
      for (const table of ['mounts', 'auth'] as const) {
        const raw = await barrier.get(TABLE_KEYS[table]);
        if (!raw) throw new Error(`the ${table} table has not been written by the active node yet`);
        const { entries } = JSON.parse(raw.toString('utf8')) as { entries: MountEntry[] };
        for (const entry of entries) if (serves(entry)) next.push(await instantiate(entry));
      }
      live = next;
      sortLive();
    },

    async unload(): Promise<void> {
      for (const m of live) await m.dispatcher.backend.cleanup?.();
      live = [];
    },

    /** Longest-prefix match of a full logical path. */
    route(path: string): LiveMount | undefined {
      const withSlash = path.endsWith('/') ? path : `${path}/`;
      return live.find((m) => withSlash.startsWith(m.prefix));
    },

    list(table: MountTable): MountEntry[] {
      return live.filter((m) => m.entry.table === table).map((m) => m.entry).sort((a, b) => a.path.localeCompare(b.path));
    },

    find(table: MountTable, path: string): LiveMount | undefined {
      return live.find((m) => m.entry.table === table && m.entry.path === path);
    },

    byAccessor(accessor: string): LiveMount | undefined {
      return live.find((m) => m.entry.accessor === accessor);
    },

    async mount(entry: MountEntry): Promise<void> {
      const prefix = routePrefix(entry);
      if (entry.table === 'mounts' && PROTECTED_PREFIXES.some((p) => prefix.startsWith(p))) {
        throw new InvalidRequest(`cannot mount under reserved path "${prefix}"`);
      }
      if (SINGLETON_TYPES.has(entry.type)) throw new InvalidRequest(`cannot mount another "${entry.type}" backend`);
      const taken = conflict(prefix);
      if (taken) throw new InvalidRequest(`path is already in use at ${taken.prefix}`);
      const mounted = await instantiate(entry);
      live.push(mounted);
      sortLive();
      await persist(entry.table);
    },

    async unmount(table: MountTable, path: string): Promise<void> {
      const mounted = live.find((m) => m.entry.table === table && m.entry.path === path);
      if (!mounted) return;
      if (SINGLETON_TYPES.has(mounted.entry.type)) throw new InvalidRequest(`cannot unmount "${mounted.prefix}"`);
      await deps.revokeLeasesWithPrefix(mounted.prefix);
      await mounted.dispatcher.backend.cleanup?.();
      live = live.filter((m) => m !== mounted);
      await persist(table);
      await deleteAll(mounted.storage);
    },

    async remount(table: MountTable, from: string, to: string): Promise<void> {
      const mounted = live.find((m) => m.entry.table === table && m.entry.path === from);
      if (!mounted) throw new InvalidRequest(`no matching mount at "${from}"`);
      if (SINGLETON_TYPES.has(mounted.entry.type)) throw new InvalidRequest(`cannot remount "${mounted.prefix}"`);
      const moved: MountEntry = { ...mounted.entry, path: to };
      const prefix = routePrefix(moved);
      if (table === 'mounts' && PROTECTED_PREFIXES.some((p) => prefix.startsWith(p))) {
        throw new InvalidRequest(`cannot remount to reserved path "${prefix}"`);
      }
      const taken = live.filter((m) => m !== mounted).find((m) => m.prefix.startsWith(prefix) || prefix.startsWith(m.prefix));
      if (taken) throw new InvalidRequest(`path is already in use at ${taken.prefix}`);
      await deps.revokeLeasesWithPrefix(mounted.prefix);
      mounted.entry.path = to; // mutate in place: the live backend holds this object
      mounted.prefix = prefix;
      sortLive();
      await persist(table);
    },

    /** The server-wide TTL defaults a mount falls back to when its own are 0 (seconds). */
    systemDefaults(): { defaultLeaseTtl: number; maxLeaseTtl: number } {
      return deps.systemDefaults();
    },

    /**
     * Rebuilds a mount's backend from its (changed) entry, keeping its storage: what a KV
     * version upgrade needs. The entry object stays the same.
     */
    async reload(table: MountTable, path: string): Promise<void> {
      const index = live.findIndex((m) => m.entry.table === table && m.entry.path === path);
      if (index === -1) throw new InvalidRequest('no mount to reload at this path');
      const old = live[index];
      await old.dispatcher.backend.cleanup?.();
      live[index] = await instantiate(old.entry);
      sortLive();
    },

    /** Persists a changed entry in place (tune). The live backend sees the same object. */
    async update(entry: MountEntry): Promise<void> {
      await persist(entry.table);
    },
  };
}

export type MountManager = ReturnType<typeof createMountManager>;
