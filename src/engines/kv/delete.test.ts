import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { kvHarness } from './testing.js';

async function threeVersions() {
  const kv = kvHarness('2');
  for (let i = 1; i <= 3; i++) await kv.call('update', 'data/k', { data: { i } });
  return kv;
}

test('delete soft-deletes listed versions; undelete restores them', async () => {
  const kv = await threeVersions();
  await kv.call('update', 'delete/k', { versions: [1, 3] });
  assert.equal((await kv.call('read', 'data/k')).statusCode, 404);
  assert.equal((await kv.call('read', 'data/k', { version: 1 })).statusCode, 404);
  assert.deepEqual((await kv.call('read', 'data/k', { version: 2 })).data?.data, { i: 2 });
  await kv.call('update', 'undelete/k', { versions: '1,3' });
  assert.deepEqual((await kv.call('read', 'data/k')).data?.data, { i: 3 });
  assert.deepEqual((await kv.call('read', 'data/k', { version: 1 })).data?.data, { i: 1 });
});

test('destroy removes the data for good; undelete cannot bring it back', async () => {
  const kv = await threeVersions();
  await kv.call('update', 'destroy/k', { versions: [2] });
  const read = await kv.call('read', 'data/k', { version: 2 });
  assert.equal(read.statusCode, 404);
  assert.deepEqual((read.data as { data: unknown }).data, null);
  await kv.call('update', 'undelete/k', { versions: [2] });
  assert.equal((await kv.call('read', 'data/k', { version: 2 })).statusCode, 404);
  const versions = (await kv.call('read', 'metadata/k')).data?.versions as Record<string, { destroyed: boolean }>;
  assert.equal(versions['2'].destroyed, true);
  assert.equal(Object.keys(await kv.snapshot()).filter((k) => k.includes('/versions/')).length, 2);
});

test('a missing versions list is refused with Vault\'s message and changes nothing', async () => {
  const kv = await threeVersions();
  const before = await kv.snapshot();
  for (const op of ['delete', 'undelete', 'destroy']) {
    await assert.rejects(kv.call('update', `${op}/k`, {}), (e) => e instanceof InvalidRequest && e.message === 'No version number provided');
    await assert.rejects(kv.call('update', `${op}/k`, { versions: ['x'] }), InvalidRequest);
  }
  assert.deepEqual(await kv.snapshot(), before);
});

test('delete on a missing key is a no-op', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'delete/none', { versions: [1] });
  await kv.call('update', 'destroy/none', { versions: [1] });
  await kv.call('delete', 'data/none');
  assert.deepEqual(Object.keys(await kv.snapshot()).filter((k) => !k.endsWith('/upgrade')), []);
});

test('undelete re-arms delete_version_after from now', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'config', { delete_version_after: '1h' });
  await kv.call('update', 'data/k', { data: { a: 1 } });
  await kv.call('update', 'delete/k', { versions: [1] });
  kv.clock.advance(7200);
  await kv.call('update', 'undelete/k', { versions: [1] });
  const read = await kv.call('read', 'data/k');
  assert.equal((read.data as { metadata: { deletion_time: string } }).metadata.deletion_time, '2024-01-01T03:00:00Z');
});
