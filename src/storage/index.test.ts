import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidRequest } from '../errors.js';
import { isTransactional, openStorage, storageTypes } from './index.js';

test('openStorage knows inmem, sqlite and postgresql', async () => {
  assert.deepEqual(storageTypes(), ['inmem', 'postgresql', 'sqlite']);
  const mem = await openStorage('inmem', {});
  assert.ok(isTransactional(mem));
  await mem.put('k', Buffer.from('v'));
  assert.deepEqual(await mem.get('k'), Buffer.from('v'));
  await mem.close();

  const dir = mkdtempSync(join(tmpdir(), 'arca-registry-'));
  try {
    const db = await openStorage('sqlite', { path: join(dir, 'arca.db') });
    assert.ok(isTransactional(db));
    await db.put('k', Buffer.from('v'));
    assert.deepEqual(await db.get('k'), Buffer.from('v'));
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openStorage rejects an unknown type, naming it', async () => {
  await assert.rejects(openStorage('cassandra', {}), (err: unknown) => {
    assert.ok(err instanceof InvalidRequest);
    assert.match(err.message, /unknown storage type "cassandra"/);
    return true;
  });
  await assert.rejects(openStorage('toString', {}), InvalidRequest);
  await assert.rejects(openStorage('__proto__', {}), InvalidRequest);
});

test('openStorage sqlite needs a path', async () => {
  await assert.rejects(openStorage('sqlite', {}), InvalidRequest);
  await assert.rejects(openStorage('sqlite', { path: '' }), InvalidRequest);
  await assert.rejects(openStorage('sqlite', { path: 7 }), InvalidRequest);
});
