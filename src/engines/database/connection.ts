/**
 * What the engine needs from a database connection, whatever the driver: run queries (one
 * transaction where the database has transactional DDL), verify reachability, close the pool.
 * Driver errors become UpstreamError carrying the driver's code only (SQLSTATE, errno name):
 * driver messages can quote statements, and statements hold passwords.
 */
import { UpstreamError } from '../../errors.js';

export interface DbConnection {
  /** Runs the queries in order; PostgreSQL runs them in one transaction. */
  execute(queries: readonly string[]): Promise<void>;
  /** Parameterised query for built-in operations. */
  query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
  verify(): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectionSettings {
  /** connection_url with {{username}}/{{password}} already substituted (URL-encoded). */
  url: string;
  maxOpenConnections: number;
  /** Bound on connecting, so an unreachable database fails instead of hanging. */
  connectTimeoutMs: number;
}

export function driverErrorCode(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; errno?: unknown };
    if (typeof e.code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(e.code)) return e.code;
    if (typeof e.errno === 'number') return `errno ${e.errno}`;
  }
  if (err instanceof Error && /timeout/i.test(err.message)) return 'timeout';
  if (err instanceof Error && /terminated|closed|lost/i.test(err.message)) return 'connection lost';
  return 'unknown error';
}

export function upstream(what: string, err: unknown): UpstreamError {
  if (err instanceof UpstreamError) return err;
  return new UpstreamError(`${what}: database error (${driverErrorCode(err)})`, { cause: err });
}

/** `{{username}}`/`{{password}}` in the connection URL, URL-encoded as Vault does by default. */
export function renderConnectionUrl(template: string, username: string, password: string): string {
  return template
    .replace(/\{\{\s*username\s*\}\}/g, encodeURIComponent(username))
    .replace(/\{\{\s*password\s*\}\}/g, encodeURIComponent(password));
}
