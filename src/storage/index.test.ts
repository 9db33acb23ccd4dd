import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidRequest } from '../errors.js';
import { isTransactional, openStorage, storageTypes } from './index.js';

test('openStorage knows inmem, sqlite and postgresql', async () => {
  assert.deepEqual(storageTypes(), ['inmem', 'postgresql', 'sqlite']);
  const mem = openStorage('inmem', {});
  assert.ok(isTransactional(mem));
  await mem.put('k', Buffer.from('v'));
  assert.deepEqual(await mem.get('k'), Buffer.from('v'));
  await mem.close();

  const dir = mkdtempSync(join(tmpdir(), 'arca-registry-'));
  try {
    const db = openStorage('sqlite', { path: join(dir, 'arca.db') });
    assert.ok(isTransactional(db));
    await db.put('k', Buffer.from('v'));
    assert.deepEqual(await db.get('k'), Buffer.from('v'));
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openStorage rejects an unknown type, naming it', () => {
  assert.throws(() => openStorage('cassandra', {}), (err: unknown) => {
    assert.ok(err instanceof InvalidRequest);
    assert.match(err.message, /unknown storage type "cassandra"/);
    return true;
  });
  assert.throws(() => openStorage('toString', {}), InvalidRequest);
  assert.throws(() => openStorage('__proto__', {}), InvalidRequest);
});

test('openStorage sqlite needs a path', () => {
  assert.throws(() => openStorage('sqlite', {}), InvalidRequest);
  assert.throws(() => openStorage('sqlite', { path: '' }), InvalidRequest);
  assert.throws(() => openStorage('sqlite', { path: 7 }), InvalidRequest);
});
