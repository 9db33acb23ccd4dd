/** What every path group of the engine shares: entries, live connections, password generation. */
import { InvalidRequest } from '../../errors.js';
import type { SystemView } from '../../core/mounts/registry.js';
import { renderConnectionUrl, type DbConnection } from './connection.js';
import { PLUGINS, type DatabasePlugin } from './plugins.js';
import type { ConnectionConfig, EntryStore } from './store.js';

export interface DatabaseDeps {
  /** A password from the named policy, or the default policy when none is named. */
  generatePassword(policyName?: string): Promise<string>;
  /** Unix ms; tests move it. */
  now?: () => number;
  /** How often the static-role rotation timer looks for due roles. */
  rotationTickMs?: number;
  connectTimeoutMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface EngineContext {
  entries: EntryStore;
  system: Pick<SystemView, 'defaultLeaseTtl' | 'maxLeaseTtl'>;
  deps: DatabaseDeps;
  now(): number;
  /** The pooled connection for a config (opened on first use, replaced when the config changes). */
  connection(name: string, config: ConnectionConfig): DbConnection;
  closeConnection(name: string): Promise<void>;
  closeAll(): Promise<void>;
}

export function pluginFor(config: ConnectionConfig): DatabasePlugin {
  const plugin = PLUGINS[config.plugin_name];
  if (!plugin) throw new InvalidRequest('unsupported plugin_name');
  return plugin;
}

export function openConnection(config: ConnectionConfig, connectTimeoutMs: number): DbConnection {
  return pluginFor(config).open({
    url: renderConnectionUrl(config.connection_url, config.username, config.password),
    maxOpenConnections: config.max_open_connections,
    connectTimeoutMs,
  });
}

export function createEngineContext(entries: EntryStore, system: EngineContext['system'], deps: DatabaseDeps): EngineContext {
  const live = new Map<string, { connection: DbConnection; fingerprint: string }>();
  const connectTimeoutMs = deps.connectTimeoutMs ?? 10_000;

  function fingerprint(c: ConnectionConfig): string {
    return JSON.stringify([c.plugin_name, c.connection_url, c.username, c.password, c.max_open_connections]);
  }

  return {
    entries,
    system,
    deps,
    now: deps.now ?? (() => Date.now()),
    connection(name, config) {
      const current = live.get(name);
      const fp = fingerprint(config);
      if (current && current.fingerprint === fp) return current.connection;
      if (current) void current.connection.close();
      const connection = openConnection(config, connectTimeoutMs);
      live.set(name, { connection, fingerprint: fp });
      return connection;
    },
    async closeConnection(name) {
      const current = live.get(name);
      live.delete(name);
      await current?.connection.close();
    },
    async closeAll() {
      const all = [...live.values()];
      live.clear();
      await Promise.all(all.map((c) => c.connection.close()));
    },
  };
}
