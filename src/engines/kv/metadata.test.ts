import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest, NotFound } from '../../errors.js';
import { kvHarness } from './testing.js';

const T0 = '2024-01-01T00:00:00Z';

test('metadata read shows settings and the version history', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'data/k', { data: { a: 1 } });
  kv.clock.advance(60);
  await kv.call('update', 'data/k', { data: { a: 2 } });
  assert.deepEqual((await kv.call('read', 'metadata/k')).data, {
    cas_required: false,
    created_time: T0,
    current_version: 2,
    custom_metadata: null,
    delete_version_after: '0s',
    max_versions: 0,
    oldest_version: 0,
    updated_time: '2024-01-01T00:01:00Z',
    versions: {
      1: { created_time: T0, deletion_time: '', destroyed: false },
      2: { created_time: '2024-01-01T00:01:00Z', deletion_time: '', destroyed: false },
    },
  });
  assert.equal((await kv.call('read', 'metadata/none')).data, undefined);
});

test('metadata write creates metadata without a version and is returned on data writes', async () => {
  const kv = kvHarness('2');
  await kv.call('create', 'metadata/k', { max_versions: 4, delete_version_after: '3h25m19s', custom_metadata: { owner: 'ops', n: 5 } });
  const meta = (await kv.call('read', 'metadata/k')).data!;
  assert.equal(meta.current_version, 0);
  assert.equal(meta.max_versions, 4);
  assert.equal(meta.delete_version_after, '3h25m19s');
  assert.deepEqual(meta.custom_metadata, { owner: 'ops', n: '5' });
  assert.equal((await kv.call('read', 'data/k')).data, undefined);
  const written = await kv.call('update', 'data/k', { data: { a: 1 }, options: { cas: 0 } });
  assert.deepEqual(written.data?.custom_metadata, { owner: 'ops', n: '5' });
});

test('metadata write with no fields changes nothing', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'metadata/k', {});
  assert.equal((await kv.call('read', 'metadata/k')).data, undefined);
});

test('custom_metadata limits are enforced and a refused write changes nothing', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'metadata/k', { custom_metadata: { a: 'b' } });
  const before = await kv.snapshot();
  const tooMany = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
  await assert.rejects(kv.call('update', 'metadata/k', { custom_metadata: tooMany }),
    (e) => e instanceof InvalidRequest && e.message === 'custom_metadata validation failed: payload must contain at most 64 keys, provided 65');
  await assert.rejects(kv.call('update', 'metadata/k', { custom_metadata: { ['x'.repeat(129)]: 'v' } }), InvalidRequest);
  await assert.rejects(kv.call('update', 'metadata/k', { custom_metadata: { k: 'v'.repeat(513) } }), InvalidRequest);
  await assert.rejects(kv.call('update', 'metadata/k', { custom_metadata: { k: '' } }), InvalidRequest);
  await assert.rejects(kv.call('update', 'metadata/k', { custom_metadata: { k: { nested: 1 } } }), InvalidRequest);
  await assert.rejects(kv.call('update', 'metadata/k', { max_versions: -1 }), InvalidRequest);
  await assert.rejects(kv.call('update', 'metadata/k', { delete_version_after: 'soon' }), InvalidRequest);
  assert.deepEqual(await kv.snapshot(), before);
  const limits = { ...Object.fromEntries(Array.from({ length: 63 }, (_, i) => [`k${i}`, 'v'])), ['x'.repeat(128)]: 'v'.repeat(512) };
  await kv.call('update', 'metadata/k', { custom_metadata: limits });
  assert.equal(Object.keys((await kv.call('read', 'metadata/k')).data?.custom_metadata as object).length, 64);
});

test('cas_required false on a key while the mount requires it warns', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'config', { cas_required: true });
  const res = await kv.call('update', 'metadata/k', { cas_required: false });
  assert.deepEqual(res.warnings, ['"cas_required" set to false, but is mandated by backend config. This value will be ignored.']);
});

test('metadata patch merges custom_metadata and keeps unspecified settings', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'metadata/k', { max_versions: 5, custom_metadata: { a: '1', b: '2' } });
  await kv.call('patch', 'metadata/k', { custom_metadata: { a: null, c: '3' }, cas_required: true });
  const meta = (await kv.call('read', 'metadata/k')).data!;
  assert.deepEqual(meta.custom_metadata, { b: '2', c: '3' });
  assert.equal(meta.max_versions, 5);
  assert.equal(meta.cas_required, true);
  await assert.rejects(kv.call('patch', 'metadata/none', { max_versions: 1 }), (e) => e instanceof NotFound && e.message === '');
});

test('metadata delete removes every version and the key', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'data/k', { data: { a: 1 } });
  await kv.call('update', 'data/k', { data: { a: 2 } });
  await kv.call('update', 'data/keep', { data: { a: 3 } });
  await kv.call('delete', 'metadata/k');
  assert.equal((await kv.call('read', 'data/k')).data, undefined);
  assert.equal((await kv.call('read', 'metadata/k')).data, undefined);
  const stored = Object.keys(await kv.snapshot()).filter((k) => k.includes('/versions/'));
  assert.equal(stored.length, 1);
  assert.deepEqual((await kv.call('read', 'data/keep')).data?.data, { a: 3 });
});

test('metadata list returns the key tree with folders', async () => {
  const kv = kvHarness('2');
  for (const key of ['a', 'dir/b', 'dir/sub/c']) await kv.call('update', `data/${key}`, { data: { x: 1 } });
  assert.deepEqual((await kv.call('list', 'metadata/')).data, { keys: ['a', 'dir/'] });
  assert.deepEqual((await kv.call('list', 'metadata/dir/')).data, { keys: ['b', 'sub/'] });
  assert.deepEqual((await kv.call('list', 'metadata/nothing/')).data, { keys: [] });
});
