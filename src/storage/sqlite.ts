/**
 * Embedded durable storage on SQLite (better-sqlite3): one table, WAL journal and
 * `synchronous = FULL`, so a write is on disk before its promise resolves and survives
 * kill -9 or power loss. Writes are group-committed: everything queued during one turn of the
 * event loop goes into one transaction with one fsync.
 */
import Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import { createGroupCommit, type GroupCommitStats } from './group-commit.js';
import { prefixSuccessor } from './key-range.js';
import { prepareDatabaseFile, restrictDatabaseFiles } from './sqlite-files.js';
import type { Storage, Transactional, TxOperation } from './types.js';
import { checkKey, checkOperations, checkPrefix, checkValue, copyBytes } from './validate.js';

export { sqliteFiles } from './sqlite-files.js';

export interface SqliteStorageOptions {
  /** Path of the database file. Its directory is created (0700) if missing. */
  path: string;
}

export interface SqliteStorage extends Storage, Transactional {
  readonly path: string;
  /** Group-commit counters: transactions committed and operations they carried. */
  stats(): GroupCommitStats;
}

/** Every SQL statement, in one place. Keys compare with BINARY collation: UTF-8 bytes, i.e. code point order. */
export const SQL = {
  schema: 'CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL)',
  get: 'SELECT value FROM entries WHERE key = ?',
  put: 'INSERT INTO entries (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  delete: 'DELETE FROM entries WHERE key = ?',
  /** Keys in [from, end), by the primary-key index. */
  rangeBounded: 'SELECT key FROM entries WHERE key >= ? AND key < ? ORDER BY key',
  /** Keys from `from` on, for a prefix with no successor (the root). */
  rangeOpen: 'SELECT key FROM entries WHERE key >= ? ORDER BY key',
} as const;

/**
 * Opens (creating if needed) the database with Arca's settings: private files, WAL,
 * synchronous FULL, the entries table. Exported so tests and tools see exactly what the store uses.
 */
export function openSqliteDatabase(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    prepareDatabaseFile(path);
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(SQL.schema);
    restrictDatabaseFiles(path);
  } catch (err) {
    db?.close();
    throw new StorageError('cannot open the SQLite database', { cause: err });
  }
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') {
    db.close();
    throw new StorageError('SQLite refused WAL journal mode');
  }
  return db;
}

export function createSqliteStorage(opts: SqliteStorageOptions): SqliteStorage {
  const path = opts.path;
  const db = openSqliteDatabase(path);

  const getStmt = db.prepare<[string], Buffer>(SQL.get).pluck();
  const putStmt = db.prepare<[string, Buffer]>(SQL.put);
  const deleteStmt = db.prepare<[string]>(SQL.delete);
  const rangeBounded = db.prepare<[string, string], string>(SQL.rangeBounded).pluck();
  const rangeOpen = db.prepare<[string], string>(SQL.rangeOpen).pluck();

  const applyAll = db.transaction((batches: readonly (readonly TxOperation[])[]) => {
    for (const ops of batches) {
      for (const o of ops) {
        if (o.op === 'put') putStmt.run(o.key, o.value);
        else deleteStmt.run(o.key);
      }
    }
  });
  const commit = createGroupCommit((batches) => applyAll.immediate(batches));
  let closed = false;

  function open(): void {
    if (closed) throw new StorageError('storage is closed');
  }

  function range(from: string, end: string | undefined): IterableIterator<string> {
    return end === undefined ? rangeOpen.iterate(from) : rangeBounded.iterate(from, end);
  }

  /**
   * Vault listing by index range scans. Leaves are streamed; on meeting a sub-folder the scan
   * restarts just past it (at the successor of `prefix + child/`), so a folder costs one seek
   * however many keys it holds.
   */
  function list(prefix: string): string[] {
    const end = prefixSuccessor(prefix);
    const out: string[] = [];
    let from: string | undefined = prefix;
    while (from !== undefined) {
      let seek: string | undefined;
      for (const key of range(from, end)) {
        const rest = key.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (slash === -1) {
          if (rest !== '') out.push(rest);
          continue;
        }
        const child = rest.slice(0, slash + 1);
        out.push(child);
        seek = prefixSuccessor(prefix + child);
        break;
      }
      from = seek;
    }
    return out.sort();
  }

  return {
    path,
    async get(key) {
      open();
      checkKey(key);
      return getStmt.get(key);
    },
    async put(key, value) {
      open();
      checkKey(key);
      checkValue(value);
      return commit.submit([{ op: 'put', key, value: copyBytes(value) }]);
    },
    async delete(key) {
      open();
      checkKey(key);
      return commit.submit([{ op: 'delete', key }]);
    },
    async list(prefix) {
      open();
      checkPrefix(prefix);
      return list(prefix);
    },
    async transaction(ops) {
      open();
      checkOperations(ops);
      const copied = ops.map((o): TxOperation => (o.op === 'put' ? { op: 'put', key: o.key, value: copyBytes(o.value) } : { op: 'delete', key: o.key }));
      if (copied.length === 0) return;
      return commit.submit(copied);
    },
    stats: () => commit.stats(),
    async close() {
      if (closed) return;
      closed = true;
      commit.flush();
      db.close();
    },
  } satisfies SqliteStorage;
}
