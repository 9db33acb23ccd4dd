import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { subkeysOf } from './subkeys.js';
import { kvHarness } from './testing.js';

const SECRET = { foo: 'abc', bar: { baz: 'def', deep: { x: 1 } }, empty: {}, list: [1, 2] };

test('subkeys replaces every value with null and keeps nesting', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'data/k', { data: SECRET });
  const res = await kv.call('read', 'subkeys/k');
  assert.deepEqual(res.data, {
    subkeys: { foo: null, bar: { baz: null, deep: { x: null } }, empty: null, list: null },
    metadata: { created_time: '2024-01-01T00:00:00Z', custom_metadata: null, deletion_time: '', destroyed: false, version: 1 },
  });
});

test('depth cuts nesting without leaking values below it', () => {
  assert.deepEqual(subkeysOf(SECRET, 1), { foo: null, bar: null, empty: null, list: null });
  assert.deepEqual(subkeysOf(SECRET, 2), { foo: null, bar: { baz: null, deep: null }, empty: null, list: null });
});

test('subkeys of a deleted version is 404 with metadata; negative depth refused', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'data/k', { data: SECRET });
  await kv.call('delete', 'data/k');
  const res = await kv.call('read', 'subkeys/k');
  assert.equal(res.statusCode, 404);
  assert.equal((res.data as { subkeys: unknown }).subkeys, null);
  await assert.rejects(kv.call('read', 'subkeys/k', { depth: -1 }), InvalidRequest);
  assert.equal((await kv.call('read', 'subkeys/none')).data, undefined);
});
