import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { StorageError } from '../errors.js';
import { exerciseStorage } from './conformance.js';
import { createSqliteStorage, openSqliteDatabase, SQL, sqliteFiles } from './sqlite.js';
import { childrenOf } from './types.js';

const root = mkdtempSync(join(tmpdir(), 'arca-sqlite-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => join(root, `case-${++counter}`, 'data', 'arca.db');

exerciseStorage('sqlite', async () => createSqliteStorage({ path: freshPath() }));

test('sqlite: data persists across close and reopen', async () => {
  const path = freshPath();
  const s1 = createSqliteStorage({ path });
  await s1.put('a/b', Buffer.from('one'));
  await s1.put('a/c', Buffer.alloc(0));
  await s1.transaction([{ op: 'put', key: 'x', value: Buffer.from('tx') }, { op: 'delete', key: 'a/c' }]);
  await s1.close();
  const s2 = createSqliteStorage({ path });
  assert.deepEqual(await s2.get('a/b'), Buffer.from('one'));
  assert.equal(await s2.get('a/c'), undefined);
  assert.deepEqual(await s2.get('x'), Buffer.from('tx'));
  assert.deepEqual(await s2.list(''), ['a/', 'x']);
  await s2.close();
});

test('sqlite: files are 0600 and created directories 0700 under umask 000', async () => {
  const previous = process.umask(0o000);
  try {
    const base = join(root, `perm-${++counter}`);
    const path = join(base, 'nested', 'data', 'arca.db');
    const s = createSqliteStorage({ path });
    await s.put('k', Buffer.from('v'));
    for (const file of sqliteFiles(path)) assert.equal(statSync(file).mode & 0o777, 0o600, file);
    for (const dir of [base, join(base, 'nested'), join(base, 'nested', 'data')]) {
      assert.equal(statSync(dir).mode & 0o777, 0o700, dir);
    }
    await s.close();
    // Reopening recreates -wal/-shm; they must again be 0600.
    const again = createSqliteStorage({ path });
    await again.put('k2', Buffer.from('v'));
    for (const file of sqliteFiles(path)) assert.equal(statSync(file).mode & 0o777, 0o600, file);
    await again.close();
  } finally {
    process.umask(previous);
  }
});

test('sqlite: the database runs in WAL mode with synchronous FULL', () => {
  const db = openSqliteDatabase(freshPath());
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('synchronous', { simple: true }), 2);
  db.close();
});

test('sqlite: 1000 concurrent puts share one transaction and are all durable', async () => {
  const path = freshPath();
  const s = createSqliteStorage({ path });
  const before = s.stats();
  await Promise.all(Array.from({ length: 1000 }, (_, i) => s.put(`bulk/${i}`, Buffer.from(String(i)))));
  const afterStats = s.stats();
  assert.equal(afterStats.commits - before.commits, 1);
  assert.equal(afterStats.operations - before.operations, 1000);
  await s.close();
  const reopened = createSqliteStorage({ path });
  const keys = await reopened.list('bulk/');
  assert.equal(keys.length, 1000);
  for (let i = 0; i < 1000; i += 97) assert.deepEqual(await reopened.get(`bulk/${i}`), Buffer.from(String(i)));
  await reopened.close();
});

test('sqlite: a failing batch rejects every write in it and applies none', async () => {
  const path = freshPath();
  const s = createSqliteStorage({ path });
  await s.put('before', Buffer.from('b'));
  const saboteur = new Database(path);
  saboteur.exec(`CREATE TRIGGER poison BEFORE INSERT ON entries WHEN NEW.key = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END`);
  saboteur.close();
  const results = await Promise.allSettled([
    s.put('a', Buffer.from('1')),
    s.put('poison', Buffer.from('2')),
    s.delete('before'),
    s.transaction([{ op: 'put', key: 'b', value: Buffer.from('3') }]),
  ]);
  for (const r of results) {
    assert.equal(r.status, 'rejected');
    assert.ok((r as PromiseRejectedResult).reason instanceof StorageError);
  }
  assert.equal(await s.get('a'), undefined);
  assert.equal(await s.get('b'), undefined);
  assert.deepEqual(await s.get('before'), Buffer.from('b'));
  // The next batch is independent of the failed one.
  await s.put('a', Buffer.from('ok'));
  assert.deepEqual(await s.get('a'), Buffer.from('ok'));
  await s.close();
});

test('sqlite: close flushes writes still queued', async () => {
  const path = freshPath();
  const s = createSqliteStorage({ path });
  const pending = [s.put('late/1', Buffer.from('1')), s.put('late/2', Buffer.from('2'))];
  await s.close();
  await Promise.all(pending);
  const reopened = createSqliteStorage({ path });
  assert.deepEqual(await reopened.list('late/'), ['1', '2']);
  await reopened.close();
});

test('sqlite: a value changed by the caller after put is stored as it was at the call', async () => {
  const s = createSqliteStorage({ path: freshPath() });
  const value = Buffer.from('before');
  const done = s.put('k', value);
  value.write('AFTER!');
  await done;
  assert.deepEqual(await s.get('k'), Buffer.from('before'));
  await s.close();
});

test('sqlite: list uses the primary-key index for its range scans', () => {
  const db = new Database(':memory:');
  db.exec(SQL.schema);
  for (const sql of [SQL.rangeBounded, SQL.rangeOpen]) {
    const args = sql === SQL.rangeBounded ? ['a/', 'a0'] : ['a/'];
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[];
    const detail = plan.map((p) => p.detail).join('; ');
    assert.match(detail, /^SEARCH entries USING COVERING INDEX sqlite_autoindex_entries_1 \(key>/, detail);
  }
  db.close();
});

test('sqlite: a big folder with sub-folders lists each child once', async () => {
  const s = createSqliteStorage({ path: freshPath() });
  const keys: string[] = [];
  for (let i = 0; i < 3000; i++) keys.push(`big/sub${i % 50}/${i}`, `big/leaf${i}`, `big/sub${i % 50}/deep/${i}`);
  keys.push('big/sub7', 'big/sub7.x', 'big\u{10FFFF}', 'big/\u{10FFFF}/x', 'bih');
  await Promise.all(keys.map((k) => s.put(k, Buffer.from('v'))));
  for (const prefix of ['', 'big/', 'big', 'big/sub7', 'big/sub7/', 'big/sub7/deep/', 'big/\u{10FFFF}/']) {
    assert.deepEqual(await s.list(prefix), childrenOf(prefix, keys), prefix);
  }
  assert.equal((await s.list('big/')).length, 3000 + 50 + 2 + 1);
  await s.close();
});
