import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest, NotFound } from '../../errors.js';
import { kvHarness } from './testing.js';

const T0 = '2024-01-01T00:00:00Z';

test('v2 write answers with version metadata and read returns data plus metadata', async () => {
  const kv = kvHarness('2');
  const written = await kv.call('create', 'data/app', { data: { password: 'p1' } });
  assert.deepEqual(written.data, { created_time: T0, custom_metadata: null, deletion_time: '', destroyed: false, version: 1 });
  kv.clock.advance(1.5);
  await kv.call('update', 'data/app', { data: { password: 'p2' } });
  const read = await kv.call('read', 'data/app');
  assert.equal(read.statusCode, undefined);
  assert.equal(read.secret, undefined);
  assert.deepEqual(read.data, {
    data: { password: 'p2' },
    metadata: { created_time: '2024-01-01T00:00:01.5Z', custom_metadata: null, deletion_time: '', destroyed: false, version: 2 },
  });
  const first = await kv.call('read', 'data/app', { version: '1' });
  assert.deepEqual((first.data as { data: unknown }).data, { password: 'p1' });
});

test('v2 missing key or version reads as nothing', async () => {
  const kv = kvHarness('2');
  assert.equal((await kv.call('read', 'data/none')).data, undefined);
  await kv.call('update', 'data/k', { data: { a: 1 } });
  assert.equal((await kv.call('read', 'data/k', { version: 7 })).data, undefined);
});

test('v2 write without data is refused and changes nothing', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'data/k', { data: { a: 1 } });
  const before = await kv.snapshot();
  await assert.rejects(kv.call('update', 'data/k', { options: {} }), (e) => e instanceof InvalidRequest && e.message === 'no data provided');
  await assert.rejects(kv.call('update', 'data/k', { data: 'not a map' }), InvalidRequest);
  await assert.rejects(kv.call('update', 'data/k/', { data: { a: 2 } }), InvalidRequest);
  assert.deepEqual(await kv.snapshot(), before);
});

test('check-and-set: 0 means must not exist, otherwise must equal the current version', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'data/k', { data: { a: 1 }, options: { cas: 0 } });
  await assert.rejects(kv.call('update', 'data/k', { data: { a: 2 }, options: { cas: 0 } }),
    (e) => e instanceof InvalidRequest && e.message === 'check-and-set parameter did not match the current version');
  await assert.rejects(kv.call('update', 'data/k', { data: { a: 2 }, options: { cas: 'x' } }),
    (e) => e instanceof InvalidRequest && e.message === 'error parsing check-and-set parameter');
  const ok = await kv.call('update', 'data/k', { data: { a: 2 }, options: { cas: '1' } });
  assert.equal(ok.data?.version, 2);
  assert.deepEqual((await kv.call('read', 'data/k')).data?.data, { a: 2 });
});

test('cas_required on the mount or the key demands a cas option', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'config', { cas_required: true });
  await assert.rejects(kv.call('update', 'data/k', { data: { a: 1 } }),
    (e) => e instanceof InvalidRequest && e.message === 'check-and-set parameter required for this call');
  await kv.call('update', 'data/k', { data: { a: 1 }, options: { cas: 0 } });
  await kv.call('update', 'config', { cas_required: false });
  await kv.call('update', 'metadata/k', { cas_required: true });
  await assert.rejects(kv.call('update', 'data/k', { data: { a: 2 } }), InvalidRequest);
  assert.deepEqual((await kv.call('read', 'data/k')).data?.data, { a: 1 });
});

test('soft-deleted and destroyed versions answer 404 with the full body', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'data/k', { data: { a: 1 } });
  kv.clock.advance(10);
  await kv.call('delete', 'data/k');
  const deleted = await kv.call('read', 'data/k');
  assert.equal(deleted.statusCode, 404);
  assert.deepEqual(deleted.data, {
    data: null,
    metadata: { created_time: T0, custom_metadata: null, deletion_time: '2024-01-01T00:00:10Z', destroyed: false, version: 1 },
  });
  await kv.call('update', 'destroy/k', { versions: [1] });
  const destroyed = await kv.call('read', 'data/k');
  assert.equal(destroyed.statusCode, 404);
  assert.equal((destroyed.data as { metadata: { destroyed: boolean } }).metadata.destroyed, true);
});

test('a soft-deleted current version still counts for cas, and a new write makes the key readable', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'data/k', { data: { a: 1 } });
  await kv.call('delete', 'data/k');
  await assert.rejects(kv.call('update', 'data/k', { data: { a: 2 }, options: { cas: 0 } }), InvalidRequest);
  await kv.call('update', 'data/k', { data: { a: 2 }, options: { cas: 1 } });
  assert.deepEqual((await kv.call('read', 'data/k')).data?.data, { a: 2 });
});

test('patch merges into the current version and makes a new one', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'data/k', { data: { a: 1, b: { c: 2, d: 3 }, gone: true } });
  const patched = await kv.call('patch', 'data/k', { data: { b: { d: null, e: 4 }, gone: null, f: [1] } });
  assert.equal(patched.data?.version, 2);
  assert.deepEqual((await kv.call('read', 'data/k')).data?.data, { a: 1, b: { c: 2, e: 4 }, f: [1] });
});

test('patch needs a live current version and a matching cas', async () => {
  const kv = kvHarness('2');
  await assert.rejects(kv.call('patch', 'data/none', { data: { a: 1 } }), (e) => e instanceof NotFound && e.message === '');
  await assert.rejects(kv.call('patch', 'data/none', {}), (e) => e instanceof InvalidRequest && e.message === 'no data provided');
  await kv.call('update', 'data/k', { data: { a: 1 } });
  await assert.rejects(kv.call('patch', 'data/k', { data: { a: 2 }, options: { cas: 0 } }), InvalidRequest);
  await kv.call('delete', 'data/k');
  const before = await kv.snapshot();
  const res = await kv.call('patch', 'data/k', { data: { a: 2 } });
  assert.equal(res.statusCode, 404);
  assert.equal(res.data?.version, 1);
  assert.deepEqual(await kv.snapshot(), before);
});

test('max_versions trims the oldest versions and advances oldest_version', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'config', { max_versions: 3 });
  for (let i = 1; i <= 5; i++) await kv.call('update', 'data/k', { data: { i } });
  const meta = (await kv.call('read', 'metadata/k')).data!;
  assert.equal(meta.current_version, 5);
  assert.equal(meta.oldest_version, 3);
  assert.deepEqual(Object.keys(meta.versions as object).sort(), ['3', '4', '5']);
  assert.equal((await kv.call('read', 'data/k', { version: 2 })).data, undefined);
  assert.deepEqual((await kv.call('read', 'data/k', { version: 3 })).data?.data, { i: 3 });
  const stored = Object.keys(await kv.snapshot()).filter((k) => k.includes('/versions/'));
  assert.equal(stored.length, 3);
});

test('key max_versions overrides the mount; 0 everywhere means 10', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'config', { max_versions: 5 });
  await kv.call('update', 'metadata/k', { max_versions: 2 });
  for (let i = 1; i <= 4; i++) await kv.call('update', 'data/k', { data: { i } });
  assert.equal((await kv.call('read', 'metadata/k')).data?.oldest_version, 3);
  const other = kvHarness('2');
  for (let i = 1; i <= 12; i++) await other.call('update', 'data/k', { data: { i } });
  assert.equal(Object.keys((await other.call('read', 'metadata/k')).data?.versions as object).length, 10);
});

test('delete_version_after sets a future deletion time that reads normally until it passes', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'config', { delete_version_after: '1h' });
  await kv.call('update', 'metadata/k', { delete_version_after: '10m' });
  const written = await kv.call('update', 'data/k', { data: { a: 1 } });
  assert.equal(written.data?.deletion_time, '2024-01-01T00:10:00Z');
  kv.clock.advance(599);
  assert.deepEqual((await kv.call('read', 'data/k')).data?.data, { a: 1 });
  kv.clock.advance(1);
  assert.equal((await kv.call('read', 'data/k')).statusCode, 404);
});

test('a key delete_version_after longer than the mount value is capped by it', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'config', { delete_version_after: '1m' });
  await kv.call('update', 'metadata/k', { delete_version_after: '1h' });
  assert.equal((await kv.call('update', 'data/k', { data: { a: 1 } })).data?.deletion_time, '2024-01-01T00:01:00Z');
});

test('data existence check follows key metadata', async () => {
  const kv = kvHarness('2');
  assert.equal(await kv.exists('data/k'), false);
  await kv.call('update', 'metadata/k', { max_versions: 3 });
  assert.equal(await kv.exists('data/k'), true);
  assert.equal(await kv.exists('metadata/k'), true);
  assert.equal(await kv.exists('metadata/other'), false);
});

test('concurrent writes to one key get distinct versions', async () => {
  const kv = kvHarness('2');
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => kv.call('update', 'data/k', { data: { i } })));
  assert.deepEqual(results.map((r) => r.data?.version).sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
});

test('non-v2 paths on a v2 mount answer 404 with a hint', async () => {
  const kv = kvHarness('2');
  const plain = await kv.call('read', 'foo');
  assert.equal(plain.statusCode, 404);
  assert.match(plain.warnings![0], /^Invalid path for a versioned K\/V secrets engine\..*'vault kv get'/);
  const write = await kv.call('update', 'foo', { a: 1 });
  assert.equal(write.statusCode, 404);
  assert.match(write.warnings![0], /'vault kv put'/);
  const root = await kv.call('read', 'data');
  assert.deepEqual(root.warnings, ['Non-listing operations on the root of a K/V v2 mount are not supported.']);
  assert.deepEqual(await kv.snapshot(), { [`${kv.mount.uuid}/upgrade`]: (await kv.snapshot())[`${kv.mount.uuid}/upgrade`] });
});
