/**
 * The engine's stored entries (versioned JSON in the mount's own storage, Vault's key layout):
 * `config/<name>` (connection and root credentials; seal-wrapped), `role/<name>`,
 * `static-role/<name>` (holds the current password; seal-wrapped).
 */
import type { BarrierStorage } from '../../barrier/types.js';
import { IntegrityError, InvalidRequest } from '../../errors.js';

export const ENTRY_VERSION = 1;

export interface ConnectionConfig {
  v: number;
  plugin_name: string;
  connection_url: string;
  username: string;
  password: string;
  allowed_roles: string[];
  verify_connection: boolean;
  max_open_connections: number;
  max_idle_connections: number;
  max_connection_lifetime: number;
  password_policy: string;
  username_template: string;
  root_rotation_statements: string[];
}

export interface RoleEntry {
  v: number;
  db_name: string;
  default_ttl: number;
  max_ttl: number;
  creation_statements: string[];
  revocation_statements: string[];
  rollback_statements: string[];
  renew_statements: string[];
}

export interface StaticRoleEntry {
  v: number;
  db_name: string;
  username: string;
  /** Seconds; 0 when a schedule is used. */
  rotation_period: number;
  rotation_schedule: string;
  /** Seconds; 0 = none. */
  rotation_window: number;
  rotation_statements: string[];
  password: string;
  /** Unix ms of the last successful rotation. */
  last_vault_rotation: number;
}

export const KEYS = {
  config: 'config/',
  role: 'role/',
  staticRole: 'static-role/',
} as const;

const NAME = /^\w(([\w-.]+)?\w)?$/;

export function validName(name: string, what: string): string {
  if (!NAME.test(name)) throw new InvalidRequest(`invalid ${what} name`);
  return name;
}

export function createEntryStore(storage: BarrierStorage) {
  async function get<T extends { v: number }>(prefix: string, name: string): Promise<T | undefined> {
    const raw = await storage.get(prefix + name);
    if (!raw) return undefined;
    let parsed: T;
    try {
      parsed = JSON.parse(raw.toString('utf8')) as T;
    } catch {
      throw new IntegrityError('database engine entry is not valid JSON');
    }
    if (parsed.v !== ENTRY_VERSION) throw new IntegrityError('unsupported database engine entry version');
    return parsed;
  }
  async function put(prefix: string, name: string, value: { v: number }): Promise<void> {
    await storage.put(prefix + name, Buffer.from(JSON.stringify(value)));
  }
  async function list(prefix: string): Promise<string[]> {
    return (await storage.list(prefix)).filter((k) => !k.endsWith('/')).sort();
  }
  return {
    getConfig: (name: string) => get<ConnectionConfig>(KEYS.config, name),
    putConfig: (name: string, c: ConnectionConfig) => put(KEYS.config, name, c),
    deleteConfig: (name: string) => storage.delete(KEYS.config + name),
    listConfigs: () => list(KEYS.config),
    getRole: (name: string) => get<RoleEntry>(KEYS.role, name),
    putRole: (name: string, r: RoleEntry) => put(KEYS.role, name, r),
    deleteRole: (name: string) => storage.delete(KEYS.role + name),
    listRoles: () => list(KEYS.role),
    getStaticRole: (name: string) => get<StaticRoleEntry>(KEYS.staticRole, name),
    putStaticRole: (name: string, r: StaticRoleEntry) => put(KEYS.staticRole, name, r),
    deleteStaticRole: (name: string) => storage.delete(KEYS.staticRole + name),
    listStaticRoles: () => list(KEYS.staticRole),
  };
}

export type EntryStore = ReturnType<typeof createEntryStore>;

export function roleAllowed(config: ConnectionConfig, role: string): boolean {
  return config.allowed_roles.some((pattern) => {
    if (pattern === '*') return true;
    if (!pattern.includes('*')) return pattern === role;
    const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return re.test(role);
  });
}
