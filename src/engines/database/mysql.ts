/**
 * MySQL and MariaDB through `mysql2`: a bounded pool. connection_url is Go's DSN as Vault takes it
 * (`user:pass@tcp(host:port)/db?params`) or a `mysql://` URL. DDL commits implicitly in MySQL,
 * so statements run in order on one connection without a transaction.
 */
import mysql from 'mysql2/promise';
import { InvalidRequest } from '../../errors.js';
import { upstream, type ConnectionSettings, type DbConnection } from './connection.js';

export interface MysqlTarget {
  host?: string;
  port?: number;
  socketPath?: string;
  user?: string;
  password?: string;
  database?: string;
}

function decode(part: string): string {
  try { return decodeURIComponent(part); } catch { return part; }
}

/** Parses Go's MySQL DSN or a mysql:// URL. */
export function parseMysqlDsn(dsn: string): MysqlTarget {
  if (/^mysql:\/\//.test(dsn)) {
    let url: URL;
    try { url = new URL(dsn); } catch { throw new InvalidRequest('connection_url is not a valid mysql:// URL'); }
    return {
      host: url.hostname || '127.0.0.1',
      port: url.port ? Number(url.port) : 3306,
      user: url.username ? decode(url.username) : undefined,
      password: url.password ? decode(url.password) : undefined,
      database: url.pathname.length > 1 ? decode(url.pathname.slice(1)) : undefined,
    };
  }
  const slash = dsn.lastIndexOf('/');
  if (slash < 0) throw new InvalidRequest('connection_url is not a MySQL DSN (user:pass@tcp(host:port)/dbname)');
  const head = dsn.slice(0, slash);
  const database = dsn.slice(slash + 1).split('?')[0];
  const at = head.lastIndexOf('@');
  const credentials = at >= 0 ? head.slice(0, at) : '';
  const address = at >= 0 ? head.slice(at + 1) : head;
  const colon = credentials.indexOf(':');
  const user = colon >= 0 ? credentials.slice(0, colon) : credentials;
  const password = colon >= 0 ? credentials.slice(colon + 1) : undefined;
  const target: MysqlTarget = { user: user ? decode(user) : undefined, password: password !== undefined ? decode(password) : undefined, database: database ? decode(database) : undefined };
  const net = /^(tcp|unix)?(?:\((.*)\))?$/.exec(address);
  if (!net) throw new InvalidRequest('connection_url has an invalid network address');
  const [, kind = 'tcp', addr = ''] = net;
  if (kind === 'unix') {
    target.socketPath = addr || '/tmp/mysql.sock';
  } else {
    const m = /^(.*?)(?::(\d+))?$/.exec(addr || '127.0.0.1:3306')!;
    target.host = (m[1] || '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
    target.port = m[2] ? Number(m[2]) : 3306;
  }
  return target;
}

export function openMysql(settings: ConnectionSettings): DbConnection {
  const target = parseMysqlDsn(settings.url);
  const pool = mysql.createPool({
    ...target,
    connectionLimit: settings.maxOpenConnections,
    connectTimeout: settings.connectTimeoutMs,
    maxIdle: settings.maxOpenConnections,
    idleTimeout: 30_000,
    multipleStatements: false,
  });

  async function withConnection<T>(what: string, fn: (c: mysql.PoolConnection) => Promise<T>): Promise<T> {
    let conn: mysql.PoolConnection;
    try {
      conn = await pool.getConnection();
    } catch (err) {
      throw upstream(`${what}: connecting failed`, err);
    }
    let destroyed = false;
    try {
      return await fn(conn);
    } catch (err) {
      destroyed = true;
      conn.destroy();
      throw upstream(what, err);
    } finally {
      if (!destroyed) conn.release();
    }
  }

  return {
    execute: (queries) => withConnection('executing statements', async (c) => {
      for (const q of queries) await c.query(q);
    }),
    query: (sql, params) => withConnection('query', async (c) => {
      const [rows] = await c.query(sql, [...params]);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    }),
    verify: () => withConnection('verifying connection', async (c) => { await c.ping(); }),
    close: () => pool.end().catch(() => {}),
  };
}

/** The default revocation: end the user's sessions, then drop it (idempotent). */
export async function revokeMysqlUser(conn: DbConnection, username: string): Promise<void> {
  const sessions = await conn.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ? AND ID <> CONNECTION_ID()', [username]);
  for (const row of sessions) {
    const id = Number(row.id);
    if (Number.isInteger(id)) await conn.execute([`KILL CONNECTION ${id}`]).catch(() => {});
  }
  const hosts = await conn.query('SELECT Host AS host FROM mysql.user WHERE User = ?', [username]);
  const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const drops = hosts.map((h) => `DROP USER IF EXISTS ${quote(username)}@${quote(String(h.host))}`);
  if (drops.length > 0) await conn.execute(drops);
}
