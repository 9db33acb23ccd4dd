import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { advisoryTtlSeconds } from './v1.js';
import { kvHarness, MOUNT_DEFAULT_TTL } from './testing.js';

test('v1 write then read returns the stored map with the mount default as an advisory lease', async () => {
  const kv = kvHarness(undefined);
  const written = await kv.call('create', 'app/db', { user: 'u', password: 'p' });
  assert.deepEqual(written, {});
  const read = await kv.call('read', 'app/db');
  assert.deepEqual(read.data, { user: 'u', password: 'p' });
  assert.deepEqual(read.secret, { advisory: true, ttlSeconds: MOUNT_DEFAULT_TTL, renewable: false, type: 'kv', internal: {} });
});

test('v1 read honours a ttl or lease key in the data', async () => {
  const kv = kvHarness('1');
  await kv.call('update', 'a', { value: 1, ttl: '1h' });
  assert.equal((await kv.call('read', 'a')).secret?.ttlSeconds, 3600);
  await kv.call('update', 'b', { value: 1, lease: 90 });
  assert.equal((await kv.call('read', 'b')).secret?.ttlSeconds, 90);
  assert.equal(advisoryTtlSeconds({ ttl: 'soon' }, 7), 7);
});

test('v1 write replaces the whole map', async () => {
  const kv = kvHarness('1');
  await kv.call('update', 'k', { a: 1, b: 2 });
  await kv.call('update', 'k', { c: 3 });
  assert.deepEqual((await kv.call('read', 'k')).data, { c: 3 });
});

test('v1 missing key reads as nothing (the HTTP layer answers 404)', async () => {
  const kv = kvHarness('1');
  assert.equal((await kv.call('read', 'nope')).data, undefined);
});

test('v1 list returns children with folders marked', async () => {
  const kv = kvHarness('1');
  await kv.call('update', 'a', { x: 1 });
  await kv.call('update', 'dir/b', { x: 1 });
  await kv.call('update', 'dir/sub/c', { x: 1 });
  assert.deepEqual((await kv.call('list', '')).data, { keys: ['a', 'dir/'] });
  assert.deepEqual((await kv.call('list', 'dir/')).data, { keys: ['b', 'sub/'] });
  assert.deepEqual((await kv.call('list', 'dir')).data, { keys: ['b', 'sub/'] });
  assert.deepEqual((await kv.call('list', 'empty/')).data, { keys: [] });
});

test('v1 delete removes the key', async () => {
  const kv = kvHarness('1');
  await kv.call('update', 'k', { a: 1 });
  await kv.call('delete', 'k');
  assert.equal((await kv.call('read', 'k')).data, undefined);
  assert.deepEqual(await kv.snapshot(), {});
});

test('v1 empty write is refused and leaves the previous value', async () => {
  const kv = kvHarness('1');
  await kv.call('update', 'k', { a: 1 });
  await assert.rejects(kv.call('update', 'k', {}), (e) => e instanceof InvalidRequest && e.message === 'missing data fields');
  assert.deepEqual((await kv.call('read', 'k')).data, { a: 1 });
});

test('v1 existence check decides create versus update', async () => {
  const kv = kvHarness('1');
  assert.equal(await kv.exists('k'), false);
  await kv.call('update', 'k', { a: 1 });
  assert.equal(await kv.exists('k'), true);
});

test('v1 keeps a body field named "path" as data', async () => {
  const kv = kvHarness('1');
  await kv.call('update', 'k', { path: '/etc/x' });
  assert.deepEqual((await kv.call('read', 'k')).data, { path: '/etc/x' });
});

test('v1 write at the mount root is refused even with a "path" body field', async () => {
  const kv = kvHarness('1');
  await assert.rejects(kv.call('update', '', { path: 'x', v: 1 }), InvalidRequest);
  assert.deepEqual(await kv.snapshot(), {});
});
