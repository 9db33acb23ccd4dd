/** A mount table entry: the persisted description of one secrets engine or auth method. */
export interface MountConfig {
  defaultLeaseTtl: number; // seconds, 0 = system default
  maxLeaseTtl: number;
  forceNoCache: boolean;
  auditNonHmacRequestKeys?: string[];
  auditNonHmacResponseKeys?: string[];
  listingVisibility?: string;
  passthroughRequestHeaders?: string[];
  allowedResponseHeaders?: string[];
  tokenType?: string;
  /** Auth mounts with user lockout (userpass, ldap, approle): tuned `user_lockout_config`. */
  userLockoutConfig?: { lockout_threshold?: number; lockout_duration?: number; lockout_counter_reset?: number; lockout_disable?: boolean };
}

export type MountTable = 'mounts' | 'auth';

export interface MountEntry {
  table: MountTable;
  /** Path with trailing slash, relative to its table: `secret/`, or `userpass/` for auth. */
  path: string;
  type: string;
  description: string;
  accessor: string;
  uuid: string;
  local: boolean;
  sealWrap: boolean;
  externalEntropyAccess: boolean;
  options: Record<string, string> | null;
  config: MountConfig;
}

/** Where requests for this mount arrive: `secret/` or `auth/userpass/`. */
export function routePrefix(entry: MountEntry): string {
  return entry.table === 'auth' ? `auth/${entry.path}` : entry.path;
}

/** Storage prefix inside the barrier for this mount's data. */
export function storagePrefix(entry: MountEntry): string {
  if (entry.type === 'system') return 'sys/';
  return entry.table === 'auth' ? `auth/${entry.uuid}/` : `logical/${entry.uuid}/`;
}

export function normalizeMountPath(path: string): string {
  const trimmed = path.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}
