/**
 * PostgreSQL storage (`storage "postgresql"`), Vault's parameter names: connection_url, table,
 * max_parallel, skip_create_table (HA options are read by the HA lock).
 *
 * Layout: one row per key, split at its last "/" into a directory (`path`, always starting
 * and ending with "/") and a name (`key`), as Vault's backend does, so listing a folder reads
 * the rows of that directory plus one index range over deeper directories. Text columns use
 * the "C" collation (byte order). PostgreSQL text cannot hold NUL, so keys are stored with an
 * order-preserving escape: U+0000 → U+0001 U+0001, U+0001 → U+0001 U+0002.
 */
import pg from 'pg';
import { InvalidRequest, StorageError } from '../errors.js';
import { prefixSuccessor } from './key-range.js';
import { childrenOf, type HABackend, type Storage, type Transactional, type TxOperation } from './types.js';
import { createPostgresHALock, haTables, type Fence } from './postgresql-ha.js';
import { changeTriggerSql, createChangeFeed, type ChangeFeed } from './postgresql-changes.js';
import { checkKey, checkOperations, checkPrefix, checkValue, copyBytes } from './validate.js';

export interface PostgresStorageOptions {
  connectionUrl: string;
  table?: string;
  maxParallel?: number;
  skipCreateTable?: boolean;
  haEnabled?: boolean;
  haTable?: string;
}

export interface PostgresStorage extends Storage, Transactional, HABackend {
  pool: pg.Pool;
  table: string;
  haEnabled: boolean;
  haLock(name: string): ReturnType<typeof createPostgresHALock>;
  /** From now on, writes land only while `fence` holds (undefined: unfenced, no HA). */
  setFence(fence: Fence | undefined): void;
  /** HA: every key another node writes or deletes, as it commits (undefined: anything may have changed). */
  watchChanges(onChange: (key: string | undefined) => Promise<void> | void, log: ChangeFeedLog): ChangeFeed;
}

type ChangeFeedLog = (level: 'info' | 'warn' | 'error', message: string) => void;

export class FenceLost extends StorageError {
  constructor() {
    super('this node no longer holds the HA lock; write refused');
  }
}

export const DEFAULT_TABLE = 'arca_kv_store';
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function escapeKey(key: string): string {
  return key.replace(/[\u0000\u0001]/g, (c) => (c === '\u0000' ? '\u0001\u0001' : '\u0001\u0002'));
}

export function unescapeKey(stored: string): string {
  return stored.replace(/\u0001([\u0001\u0002])/g, (_, c: string) => (c === '\u0001' ? '\u0000' : '\u0001'));
}

/** `a/b/c` → { path: '/a/b/', name: 'c' }; `c` → { path: '/', name: 'c' }. */
function splitKey(key: string): { path: string; name: string } {
  const escaped = escapeKey(key);
  const slash = escaped.lastIndexOf('/');
  return { path: `/${escaped.slice(0, slash + 1)}`, name: escaped.slice(slash + 1) };
}

export function createPostgresStorage(options: PostgresStorageOptions): PostgresStorage {
  const table = options.table ?? DEFAULT_TABLE;
  if (!IDENTIFIER.test(table)) throw new InvalidRequest('postgresql storage "table" must be a plain lower-case identifier');
  const pool = new pg.Pool({ connectionString: options.connectionUrl, max: options.maxParallel ?? 32 });
  pool.on('error', () => { /* an idle client died; the next query opens a new one */ });
  let closed = false;
  const ha = options.haEnabled ? haTables(options.haTable) : undefined;
  let fence: Fence | undefined;

  const SQL = {
    schema: `CREATE TABLE IF NOT EXISTS ${table} (
      path TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL, value BYTEA NOT NULL,
      PRIMARY KEY (path, key))`,
    get: `SELECT value FROM ${table} WHERE path = $1 AND key = $2`,
    put: `INSERT INTO ${table} (path, key, value) VALUES ($1, $2, $3)
      ON CONFLICT (path, key) DO UPDATE SET value = EXCLUDED.value`,
    delete: `DELETE FROM ${table} WHERE path = $1 AND key = $2`,
    leaves: `SELECT key FROM ${table} WHERE path = $1`,
    /** First segment below `$1` of every deeper directory: the sub-folders. */
    folders: `SELECT DISTINCT split_part(substr(path, $2), '/', 1) AS child FROM ${table} WHERE path > $1 AND path < $3`,
    /** Literal prefixes not ending in "/": every key in the directory range, filtered in JS. */
    range: `SELECT path, key FROM ${table} WHERE path >= $1 AND path < $2`,
  } as const;

  const FENCED = ha && {
    put: `WITH ${ha.fenceCte} INSERT INTO ${table} (path, key, value) SELECT $4, $5, $6 FROM fence
      ON CONFLICT (path, key) DO UPDATE SET value = EXCLUDED.value`,
    delete: `WITH ${ha.fenceCte}, gone AS (DELETE FROM ${table} WHERE path = $4 AND key = $5 AND EXISTS (SELECT 1 FROM fence) RETURNING 1)
      SELECT count(*)::int AS held FROM fence`,
    check: `WITH ${ha.fenceCte} SELECT count(*)::int AS held FROM fence`,
  };

  /** Runs `work` in one transaction on one pooled connection: committed if it returns, rolled back if it throws. */
  async function inTransaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** Nodes starting together create the schema one at a time (concurrent DDL on one catalog row fails). */
  function createSchema(): Promise<void> {
    return inTransaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('arca schema ' || $1))", [table]);
      await client.query(SQL.schema);
      for (const statement of ha ? [...ha.schema, ...changeTriggerSql(table)] : []) await client.query(statement);
    });
  }

  let ready: Promise<void> | undefined;
  function schema(): Promise<void> {
    ready ??= options.skipCreateTable ? Promise.resolve() : createSchema();
    return ready;
  }

  async function run<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (closed) throw new StorageError('storage is closed');
    try {
      await schema();
      return await work();
    } catch (err) {
      if (err instanceof InvalidRequest || err instanceof StorageError) throw err;
      ready = undefined; // a failed CREATE TABLE is retried next time
      throw new StorageError(`postgresql storage ${what} failed`, { cause: err });
    }
  }

  async function listLiteral(prefix: string): Promise<string[]> {
    const dir = `/${escapeKey(prefix.slice(0, prefix.lastIndexOf('/') + 1))}`;
    const end = prefixSuccessor(dir)!;
    const rows = (await pool.query<{ path: string; key: string }>(SQL.range, [dir, end])).rows;
    return childrenOf(prefix, rows.map((r) => unescapeKey(r.path.slice(1) + r.key)));
  }

  /** Writes to one key run in call order (a pool would otherwise reorder them). */
  const chains = new Map<string, Promise<unknown>>();
  function inOrder<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = chains.get(key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    chains.set(key, next);
    const forget = () => { if (chains.get(key) === next) chains.delete(key); };
    next.then(forget, forget);
    return next;
  }

  async function apply(client: pg.PoolClient | pg.Pool, op: TxOperation): Promise<void> {
    const { path, name } = splitKey(op.key);
    if (op.op === 'put') await client.query(SQL.put, [path, name, copyBytes(op.value)]);
    else await client.query(SQL.delete, [path, name]);
  }

  /** A single write outside a transaction: fenced when this node writes as an HA active. */
  async function applyFenced(op: TxOperation): Promise<void> {
    if (!fence || !FENCED) return apply(pool, op);
    const { path, name } = splitKey(op.key);
    const holder = [fence.lockKey, fence.holderId, fence.generation];
    if (op.op === 'put') {
      const result = await pool.query(FENCED.put, [...holder, path, name, copyBytes(op.value)]);
      if (result.rowCount !== 1) throw new FenceLost();
    } else {
      const { rows } = await pool.query<{ held: number }>(FENCED.delete, [...holder, path, name]);
      if (rows[0]?.held !== 1) throw new FenceLost();
    }
  }

  return {
    pool,
    table,
    haEnabled: ha !== undefined,
    haLock(name: string) {
      if (!ha) throw new InvalidRequest('HA is not enabled on this storage (ha_enabled = "true")');
      return createPostgresHALock(pool, ha, name, schema);
    },
    setFence(next) {
      fence = next;
    },
    watchChanges(onChange, log) {
      if (!ha) throw new InvalidRequest('HA is not enabled on this storage (ha_enabled = "true")');
      return createChangeFeed({
        connectionUrl: options.connectionUrl,
        table,
        ready: schema,
        query: (sql, params) => pool.query(sql, params),
        onChange: (key) => onChange(key === undefined ? undefined : unescapeKey(key)),
        log,
      });
    },
    async get(key) {
      checkKey(key);
      const { path, name } = splitKey(key);
      return run('read', async () => {
        const { rows } = await pool.query<{ value: Buffer }>(SQL.get, [path, name]);
        return rows[0]?.value;
      });
    },
    async put(key, value) {
      checkKey(key);
      checkValue(value);
      const copy = copyBytes(value);
      await inOrder(key, () => run('write', () => applyFenced({ op: 'put', key, value: copy })));
    },
    async delete(key) {
      checkKey(key);
      await inOrder(key, () => run('delete', () => applyFenced({ op: 'delete', key })));
    },
    async list(prefix) {
      checkPrefix(prefix);
      return run('list', async () => {
        if (prefix !== '' && !prefix.endsWith('/')) return listLiteral(prefix);
        const dir = `/${escapeKey(prefix)}`;
        const [leaves, folders] = await Promise.all([
          pool.query<{ key: string }>(SQL.leaves, [dir]),
          // substr counts characters (code points), not UTF-16 units
          pool.query<{ child: string }>(SQL.folders, [dir, [...dir].length + 1, prefixSuccessor(dir)]),
        ]);
        const out = new Set<string>();
        for (const r of leaves.rows) if (r.key !== '') out.add(unescapeKey(r.key)); // `a/` itself is not a child of `a/`
        for (const r of folders.rows) out.add(`${unescapeKey(r.child)}/`);
        return [...out].sort();
      });
    },
    async transaction(ops) {
      checkOperations(ops);
      await run('transaction', () => inTransaction(async (client) => {
        if (fence && FENCED) {
          const { rows } = await client.query<{ held: number }>(FENCED.check, [fence.lockKey, fence.holderId, fence.generation]);
          if (rows[0]?.held !== 1) throw new FenceLost();
        }
        for (const op of ops) await apply(client, op);
      }));
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
