/** PostgreSQL through `pg`: a bounded pool; statements run in one transaction. */
import pg from 'pg';
import { InvalidRequest } from '../../errors.js';
import { upstream, type ConnectionSettings, type DbConnection } from './connection.js';

export function openPostgres(settings: ConnectionSettings): DbConnection {
  if (!/^postgres(ql)?:\/\//.test(settings.url)) throw new InvalidRequest('connection_url must be a postgres:// or postgresql:// URL');
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.maxOpenConnections,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
  });
  // An idle client whose server went away: the pool drops it; nothing to do here.
  pool.on('error', () => {});
  pool.on('connect', (client) => { client.on('error', () => {}); });

  async function withClient<T>(what: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw upstream(`${what}: connecting failed`, err);
    }
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (err) {
      broken = err instanceof Error ? err : new Error('query failed');
      throw upstream(what, err);
    } finally {
      client.release(broken);
    }
  }

  return {
    execute: (queries) => withClient('executing statements', async (client) => {
      await client.query('BEGIN');
      try {
        for (const q of queries) await client.query(q);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    }),
    query: (sql, params) => withClient('query', async (client) => (await client.query(sql, [...params])).rows as Record<string, unknown>[]),
    verify: () => withClient('verifying connection', async (client) => { await client.query('SELECT 1'); }),
    close: () => pool.end().catch(() => {}),
  };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The default revocation: end the user's sessions, hand what it owns to the admin, drop its
 * grants and the role. Idempotent: a role that is already gone is success.
 */
export async function revokePostgresUser(conn: DbConnection, username: string): Promise<void> {
  const exists = await conn.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [username]);
  if (exists.length === 0) return;
  const role = quoteIdent(username);
  await conn.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()', [username]);
  await conn.execute([`REASSIGN OWNED BY ${role} TO CURRENT_USER`, `DROP OWNED BY ${role}`, `DROP ROLE IF EXISTS ${role}`]);
}
