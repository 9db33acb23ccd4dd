import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import { requireSystem } from '../../test/support/requires.js';
import { postgresReachable, POSTGRES_URL } from '../../test/support/databases.js';
import { createPostgresStorage, FenceLost } from './postgresql.js';

const reachable = await postgresReachable();
const skip = requireSystem('postgresql HA', { install: 'a running PostgreSQL on 127.0.0.1:5432', present: () => reachable });
const suffix = randomBytes(5).toString('hex');
const table = `arca_hatest_${suffix}`;
const haTable = `arca_hatest_locks_${suffix}`;
const open = () => createPostgresStorage({ connectionUrl: POSTGRES_URL, table, haEnabled: true, haTable });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

after(async () => {
  if (!reachable) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  for (const t of [table, haTable, `${haTable}_nodes`]) await client.query(`DROP TABLE IF EXISTS ${t}`);
  await client.end();
});

test('one holder at a time; renewal keeps the generation, a takeover bumps it', { skip }, async () => {
  const a = open();
  const b = open();
  try {
    const lockA = a.haLock('core/lock');
    const lockB = b.haLock('core/lock');
    const first = await lockA.tryLock('node-a', 'http://a', 5000);
    assert.equal(typeof first, 'number');
    assert.equal(await lockB.tryLock('node-b', 'http://b', 5000), undefined);
    assert.equal(await lockA.tryLock('node-a', 'http://a', 5000), first);
    assert.deepEqual(await lockB.lockValue(), { holderId: 'node-a', value: 'http://a' });
    await lockA.unlock('node-a');
    assert.equal(await lockB.lockValue(), undefined);
    const second = await lockB.tryLock('node-b', 'http://b', 5000);
    assert.equal(second, first! + 1);
    await lockB.unlock('node-b');
  } finally {
    await a.close();
    await b.close();
  }
});

test('fenced writes stop landing once another node holds the lock', { skip }, async () => {
  const a = open();
  const b = open();
  try {
    const lockA = a.haLock('core/fence');
    const lockB = b.haLock('core/fence');
    const genA = (await lockA.tryLock('node-a', 'http://a', 300))!;
    a.setFence({ lockKey: 'core/fence', holderId: 'node-a', generation: genA });
    await a.put('k', Buffer.from('from a'));
    await a.transaction([{ op: 'put', key: 't', value: Buffer.from('tx a') }]);
    await a.delete('t');

    await sleep(400); // a's TTL runs out without renewal
    await assert.rejects(a.put('k', Buffer.from('late a')), FenceLost, 'an expired holder cannot write');
    const genB = (await lockB.tryLock('node-b', 'http://b', 5000))!;
    assert.equal(genB, genA + 1);
    b.setFence({ lockKey: 'core/fence', holderId: 'node-b', generation: genB });
    await b.put('k', Buffer.from('from b'));

    // a renews with its own identity: the row now names b, so a gets nothing and cannot write.
    assert.equal(await lockA.tryLock('node-a', 'http://a', 5000), undefined);
    await assert.rejects(a.put('k', Buffer.from('stale a')), FenceLost);
    await assert.rejects(a.delete('k'), FenceLost);
    await assert.rejects(a.transaction([{ op: 'put', key: 'k', value: Buffer.from('stale tx') }]), FenceLost);
    assert.deepEqual(await b.get('k'), Buffer.from('from b'));
  } finally {
    await a.close();
    await b.close();
  }
});
