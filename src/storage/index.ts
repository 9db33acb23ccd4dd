/**
 * The storage registry: a config's `storage "<type>" { ... }` stanza names a backend here.
 * Adding a backend is one entry in `backends`. Each backend's module (and its database driver)
 * is loaded only when a config names it: the drivers cost ~12 MB of memory each.
 */
import { InvalidRequest } from '../errors.js';
import type { Storage } from './types.js';

type Options = Record<string, unknown>;

const backends: Record<string, (options: Options) => Promise<Storage>> = {
  inmem: async () => (await import('./inmem.js')).createInmemStorage(),
  sqlite: async (options) => {
    const path = requiredString('sqlite', options, 'path');
    return (await import('./sqlite.js')).createSqliteStorage({ path });
  },
  postgresql: async (options) => {
    const settings = {
      connectionUrl: requiredString('postgresql', options, 'connection_url'),
      table: typeof options.table === 'string' ? options.table : undefined,
      maxParallel: options.max_parallel === undefined ? undefined : Number(options.max_parallel),
      skipCreateTable: options.skip_create_table === true || options.skip_create_table === 'true',
      haEnabled: options.ha_enabled === true || options.ha_enabled === 'true',
      haTable: typeof options.ha_table === 'string' ? options.ha_table : undefined,
    };
    return (await import('./postgresql.js')).createPostgresStorage(settings);
  },
};

export function storageTypes(): string[] {
  return Object.keys(backends).sort();
}

export async function openStorage(type: string, options: Options): Promise<Storage> {
  const create = Object.hasOwn(backends, type) ? backends[type] : undefined;
  if (create === undefined) {
    throw new InvalidRequest(`unknown storage type ${JSON.stringify(String(type).slice(0, 64))}; known types: ${storageTypes().join(', ')}`);
  }
  return create(options ?? {});
}

function requiredString(type: string, options: Options, name: string): string {
  const value = options?.[name];
  if (typeof value !== 'string' || value === '') {
    throw new InvalidRequest(`storage "${type}" needs option "${name}" as a non-empty string`);
  }
  return value;
}

export type { Storage, Transactional, TxOperation, HALock, HABackend } from './types.js';
export { isTransactional, isHABackend, childrenOf } from './types.js';
