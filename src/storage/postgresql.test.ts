import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import { requireSystem } from '../../test/support/requires.js';
import { postgresReachable, POSTGRES_URL } from '../../test/support/databases.js';
import { exerciseStorage } from './conformance.js';
import { createPostgresStorage, escapeKey, unescapeKey } from './postgresql.js';

const reachable = await postgresReachable();
const skip = requireSystem('postgresql storage', { install: 'a running PostgreSQL on 127.0.0.1:5432', present: () => reachable });
const tables: string[] = [];
const freshTable = () => {
  const name = `arca_test_${randomBytes(6).toString('hex')}`;
  tables.push(name);
  return name;
};

after(async () => {
  if (!reachable || tables.length === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  for (const t of tables) await client.query(`DROP TABLE IF EXISTS ${t}`);
  await client.end();
});

if (!skip) exerciseStorage('postgresql', async () => createPostgresStorage({ connectionUrl: POSTGRES_URL, table: freshTable() }));

test('postgresql: the NUL escape preserves order and round-trips', () => {
  const keys = ['a\u0000', 'a\u0001', 'a\u0002', 'a', 'a\u0000\u0001x'];
  for (const k of keys) assert.equal(unescapeKey(escapeKey(k)), k);
  const sorted = [...keys].sort();
  assert.deepEqual([...keys].map(escapeKey).sort().map(unescapeKey), sorted);
});

test('postgresql: data persists across pools, and table names are checked', { skip }, async () => {
  const table = freshTable();
  const one = createPostgresStorage({ connectionUrl: POSTGRES_URL, table });
  await one.put('deep/a/b/c', Buffer.from('v'));
  await one.close();
  const two = createPostgresStorage({ connectionUrl: POSTGRES_URL, table });
  assert.deepEqual(await two.get('deep/a/b/c'), Buffer.from('v'));
  assert.deepEqual(await two.list('deep/'), ['a/']);
  await two.close();
  assert.throws(() => createPostgresStorage({ connectionUrl: POSTGRES_URL, table: 'x; drop table y' }), /identifier/);
});
