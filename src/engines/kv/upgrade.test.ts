import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createDispatcher } from '../../framework/backend.js';
import { createKvBackend } from './index.js';
import { kvHarness, logicalRequest, MOUNT_DEFAULT_TTL } from './testing.js';

test('tuning a v1 mount to version 2 converts every key to version 1 before any request runs', async () => {
  const kv = kvHarness('1');
  await kv.call('update', 'a', { value: 'A' });
  await kv.call('update', 'dir/b', { value: 'B', ttl: '1h' });
  await kv.call('update', 'dir/sub/c', { value: 'C' });
  kv.mount.options = { version: '2' }; // what sys/mounts tune does to the live entry

  const [a, b, list, c] = await Promise.all([
    kv.call('read', 'data/a'),
    kv.call('read', 'data/dir/b'),
    kv.call('list', 'metadata/dir/'),
    kv.call('read', 'data/dir/sub/c'),
  ]);
  assert.deepEqual(a.data?.data, { value: 'A' });
  assert.equal((a.data?.metadata as { version: number }).version, 1);
  assert.deepEqual(b.data?.data, { value: 'B', ttl: '1h' });
  assert.deepEqual(list.data, { keys: ['b', 'sub/'] });
  assert.deepEqual(c.data?.data, { value: 'C' });

  // The v1 entries are gone; only the versioned root remains at the top of the view.
  assert.deepEqual(await kv.storage.list(''), [`${kv.mount.uuid}/`]);
  // Plain paths now get the v2 hint instead of data.
  assert.equal((await kv.call('read', 'a')).statusCode, 404);
});

test('the upgrade runs once: a restarted backend on upgraded storage changes nothing', async () => {
  const kv = kvHarness('1');
  await kv.call('update', 'a', { value: 'A' });
  kv.mount.options = { version: '2' };
  await kv.call('update', 'data/a', { data: { value: 'A2' } });
  const before = await kv.snapshot();
  const again = createDispatcher(createKvBackend({
    storage: kv.storage, mount: kv.mount,
    system: { defaultLeaseTtl: () => MOUNT_DEFAULT_TTL, maxLeaseTtl: () => MOUNT_DEFAULT_TTL, randomBytes: async (n) => randomBytes(n) },
  }, { now: kv.clock.now }));
  const read = await again.handle(logicalRequest('read', 'data/a', {}, kv.storage));
  assert.deepEqual(read.data?.data, { value: 'A2' });
  assert.deepEqual(await kv.snapshot(), before);
});

test('an interrupted upgrade resumes without duplicating versions', async () => {
  const kv = kvHarness('1');
  await kv.call('update', 'a', { value: 'A' });
  await kv.call('update', 'b', { value: 'B' });
  kv.mount.options = { version: '2' };
  await kv.call('read', 'data/a');
  // Simulate a crash after key "a" was converted but before its v1 entry was removed and the marker written.
  await kv.storage.delete(`${kv.mount.uuid}/upgrade`);
  await kv.storage.put('a', Buffer.from('{"v":1,"data":{"value":"stale"}}'));
  const fresh = createDispatcher(createKvBackend({
    storage: kv.storage, mount: kv.mount,
    system: { defaultLeaseTtl: () => MOUNT_DEFAULT_TTL, maxLeaseTtl: () => MOUNT_DEFAULT_TTL, randomBytes: async (n) => randomBytes(n) },
  }, { now: kv.clock.now }));
  const meta = await fresh.handle(logicalRequest('read', 'metadata/a', {}, kv.storage));
  assert.equal(meta.data?.current_version, 1);
  const read = await fresh.handle(logicalRequest('read', 'data/a', {}, kv.storage));
  assert.deepEqual(read.data?.data, { value: 'A' });
  assert.deepEqual(await kv.storage.list(''), [`${kv.mount.uuid}/`]);
});

test('a v1 mount never touches the versioned layout', async () => {
  const kv = kvHarness('1');
  await kv.call('update', 'data/x', { v: 1 });
  assert.deepEqual(await kv.storage.list(''), ['data/']);
  assert.deepEqual((await kv.call('read', 'data/x')).data, { v: 1 });
});
