/**
 * HA standbys serve safe reads themselves: KV reads, token lookups and their own sys/metrics,
 * from storage, behind a read-only view (src/core/core.ts loadStandbyView) that holds only the
 * KV, token and system mounts — no backend that runs background work. Everything else, and
 * anything that turns out to need a write, goes to the active node.
 *
 * The view's caches follow the PostgreSQL change feed: every key another node writes is
 * dropped from the barrier cache and from whichever store keeps a parsed copy; a change to
 * the mount or audit tables (or a gap in the feed) drops the whole view until it is reloaded.
 * Before each local read the standby waits for a sync round trip through the feed, so a write
 * acknowledged by the active before the read arrived is always visible (read-your-writes).
 */
import { KEYRING_PATH, ROOT_KEY_PATH } from '../barrier/aes-gcm-barrier.js';
import type { Core } from '../core/core.js';
import type { MountEntry } from '../core/mounts/entry.js';
import type { ChangeFeed } from '../storage/postgresql-changes.js';

/** Mount types a standby loads, and what it serves from each: every read, or these paths. */
const LOCAL_PATHS: Record<string, 'reads' | ReadonlySet<string>> = {
  kv: 'reads',
  token: new Set(['lookup', 'lookup-self', 'lookup-accessor']),
  system: new Set(['metrics']),
};
/** Never forwarded (as in Vault): a forwarded scrape would describe the active node, not this one. */
const LOCAL_ONLY = new Set(['sys/metrics']);
/** Tables whose change means the view's set of mounts or audit devices is stale. */
const VIEW_TABLES = new Set(['core/mounts', 'core/auth', 'core/audit']);

export function servesStandbyReads(entry: MountEntry): boolean {
  return Object.hasOwn(LOCAL_PATHS, entry.type);
}

/** How a standby answers a request: itself, through the active node, or not at all. */
export type StandbyRoute = 'local' | 'forward' | 'local-only';

export interface StandbyInvalidation {
  /** Drop one key from the barrier's read cache. */
  cachedKey(key: string): void;
  /** Re-read the keyring (a rotation or rekey on the active). */
  keyring(): Promise<void>;
  token(hashedId: string): void;
  policy(name: string): void;
  identity(): void;
}

export interface StandbyReadsDeps {
  core: Core;
  route(path: string): { prefix: string; entry: MountEntry } | undefined;
  watch(onChange: (key: string | undefined) => Promise<void>): ChangeFeed;
  invalidate: StandbyInvalidation;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export function createStandbyReads(deps: StandbyReadsDeps) {
  const { core, invalidate } = deps;
  /** The view the feed has kept current since it was loaded. */
  let currentView: number | undefined;
  /** While a view loads: changes seen meanwhile, applied once it is in place. */
  let arrivedWhileLoading: Array<string | undefined> | undefined;
  let lastFailure = '';

  async function apply(key: string | undefined): Promise<void> {
    if (key === undefined || VIEW_TABLES.has(key)) {
      currentView = undefined;
      await core.dropStandbyView();
      void ensureView(); // reload now rather than at the next election round
      return;
    }
    invalidate.cachedKey(key);
    if (key === KEYRING_PATH || key === ROOT_KEY_PATH) await invalidate.keyring();
    else if (key.startsWith('sys/token/id/')) invalidate.token(key.slice('sys/token/id/'.length));
    else if (key.startsWith('sys/policy/')) invalidate.policy(key.slice('sys/policy/'.length));
    else if (key.startsWith('sys/identity/')) invalidate.identity();
  }

  const feed = deps.watch(async (key) => {
    if (arrivedWhileLoading) arrivedWhileLoading.push(key);
    else if (currentView !== undefined && core.standbyView === currentView) await apply(key);
  });

  function ready(): boolean {
    return feed.listening && currentView !== undefined && core.standbyView === currentView;
  }

  /** Loads the view when it is missing (first time, or after a drop); changes seen meanwhile are applied after. */
  async function ensureView(): Promise<void> {
    if (!feed.listening || ready() || arrivedWhileLoading) return;
    arrivedWhileLoading = [];
    try {
      const view = await core.loadStandbyView();
      if (view === undefined) return;
      while (arrivedWhileLoading.length > 0) {
        const changes = arrivedWhileLoading;
        arrivedWhileLoading = [];
        for (const key of changes) await apply(key);
      }
      currentView = core.standbyView === view ? view : undefined;
      if (currentView !== undefined) deps.log('info', 'ha: standby serves KV reads and token lookups locally');
      lastFailure = '';
    } catch (err) {
      const message = (err as Error).message;
      if (message !== lastFailure) deps.log('warn', `ha: standby forwards every request for now: ${message}`);
      lastFailure = message;
    } finally {
      arrivedWhileLoading = undefined;
    }
  }

  return {
    /** Election round on a standby. */
    ensureView,

    /** Whether a request may be tried locally (KV read, token lookup, sys/metrics), with the view in place. */
    route(operation: string, path: string): StandbyRoute {
      const localOnly = LOCAL_ONLY.has(path.replace(/\/$/, ''));
      const mount = ready() ? deps.route(path) : undefined;
      const serves = mount && Object.hasOwn(LOCAL_PATHS, mount.entry.type) ? LOCAL_PATHS[mount.entry.type] : undefined;
      const local = serves === 'reads'
        ? operation === 'read' || operation === 'list'
        : serves !== undefined && serves.has(path.slice(mount!.prefix.length).replace(/\/$/, ''));
      if (local) return 'local';
      return localOnly ? 'local-only' : 'forward';
    },

    /** Waits until every write acknowledged before this call is visible here; false: forward instead. */
    async catchUp(): Promise<boolean> {
      try {
        await feed.sync();
      } catch {
        return false;
      }
      return ready();
    },

    close: () => feed.close(),
  };
}

export type StandbyReads = ReturnType<typeof createStandbyReads>;
