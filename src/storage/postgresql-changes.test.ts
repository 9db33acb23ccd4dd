import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import { requireSystem } from '../../test/support/requires.js';
import { postgresReachable, POSTGRES_URL } from '../../test/support/databases.js';
import { createPostgresStorage } from './postgresql.js';
import { changeChannels } from './postgresql-changes.js';

const reachable = await postgresReachable();
const skip = requireSystem('postgresql change feed', { install: 'a running PostgreSQL on 127.0.0.1:5432', present: () => reachable });
const suffix = randomBytes(5).toString('hex');
const table = `arca_feedtest_${suffix}`;
const haTable = `arca_feedtest_locks_${suffix}`;
const open = (options: { skipCreateTable?: boolean; table?: string } = {}) =>
  createPostgresStorage({ connectionUrl: POSTGRES_URL, table: options.table ?? table, haEnabled: true, haTable, skipCreateTable: options.skipCreateTable });
const quiet = () => {};

async function waitUntil(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(probe(), 'condition not reached in 5 s');
}

after(async () => {
  if (!reachable) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  for (const t of [table, `${table}_bare`, haTable, `${haTable}_nodes`]) await client.query(`DROP TABLE IF EXISTS ${t}`);
  for (const t of [table, `${table}_bare`]) await client.query(`DROP FUNCTION IF EXISTS ${changeChannels(t).changes}_notify()`);
  await client.end();
});

test('a write on one node is handled on another before sync() resolves, deletes and transactions included', { skip }, async () => {
  const writer = open();
  const reader = open();
  const seen: Array<string | undefined> = [];
  const feed = reader.watchChanges(async (key) => {
    await new Promise((r) => setTimeout(r, 5)); // slow handling must still finish before sync resolves
    seen.push(key);
  }, quiet);
  try {
    await waitUntil(() => feed.listening);
    await feed.sync();
    seen.length = 0; // the connect-time "anything changed"
    await writer.put('logical/abc/data/one', Buffer.from('1'));
    await writer.delete('logical/abc/data/one');
    await writer.transaction([
      { op: 'put', key: 'sys/token/id/h1', value: Buffer.from('t') },
      { op: 'put', key: 'top', value: Buffer.from('x') },
    ]);
    await writer.put('nul\u0000key', Buffer.from('n'));
    await feed.sync();
    assert.deepEqual(seen, ['logical/abc/data/one', 'logical/abc/data/one', 'sys/token/id/h1', 'top', 'nul\u0000key']);
  } finally {
    await feed.close();
    await reader.close();
    await writer.close();
  }
});

test('concurrent syncs share round trips; a key too long for a payload reports "anything changed"', { skip }, async () => {
  const writer = open();
  const reader = open();
  const seen: Array<string | undefined> = [];
  const feed = reader.watchChanges((key) => { seen.push(key); }, quiet);
  try {
    await waitUntil(() => feed.listening);
    await Promise.all(Array.from({ length: 200 }, () => feed.sync()));
    seen.length = 0;
    await writer.put(`long/${'k'.repeat(8000)}`, Buffer.from('v'));
    await feed.sync();
    assert.deepEqual(seen, [undefined]);
  } finally {
    await feed.close();
    await reader.close();
    await writer.close();
  }
});

test('a lost listening connection fails sync(), reconnects, and reports "anything changed"', { skip }, async () => {
  const reader = open();
  const seen: Array<string | undefined> = [];
  const feed = reader.watchChanges((key) => { seen.push(key); }, quiet);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await waitUntil(() => feed.listening);
    await feed.sync();
    seen.length = 0;
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [changeChannels(table).applicationName]);
    await waitUntil(() => !feed.listening);
    await assert.rejects(feed.sync(), /change feed/);
    await waitUntil(() => feed.listening);
    await feed.sync();
    assert.ok(seen.includes(undefined));
  } finally {
    await admin.end();
    await feed.close();
    await reader.close();
  }
});

test('without the trigger (skip_create_table) the feed never claims to listen', { skip }, async () => {
  const bare = `${table}_bare`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE TABLE ${bare} (path TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL, value BYTEA NOT NULL, PRIMARY KEY (path, key))`);
  await admin.end();
  const reader = open({ table: bare, skipCreateTable: true });
  const warnings: string[] = [];
  const feed = reader.watchChanges(() => {}, (_level, message) => { warnings.push(message); });
  try {
    await waitUntil(() => warnings.length > 0);
    assert.match(warnings[0], /trigger .* is missing/);
    assert.equal(feed.listening, false);
    await assert.rejects(feed.sync(), /not connected/);
  } finally {
    await feed.close();
    await reader.close();
  }
});
