import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { kvHarness } from './testing.js';

test('config defaults, update and read back', async () => {
  const kv = kvHarness('2');
  assert.deepEqual((await kv.call('read', 'config')).data, { cas_required: false, delete_version_after: '0s', max_versions: 0 });
  await kv.call('update', 'config', { max_versions: 7, cas_required: 'true', delete_version_after: '768h' });
  assert.deepEqual((await kv.call('read', 'config')).data, { cas_required: true, delete_version_after: '768h0m0s', max_versions: 7 });
  await kv.call('update', 'config', { delete_version_after: '-1s' });
  assert.equal((await kv.call('read', 'config')).data?.delete_version_after, '-1s');
  await kv.call('update', 'config', { delete_version_after: 0 });
  assert.equal((await kv.call('read', 'config')).data?.delete_version_after, '0s');
});

test('a disabled mount delete_version_after overrides a key setting', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'config', { delete_version_after: -1 });
  await kv.call('update', 'metadata/k', { delete_version_after: '1h' });
  assert.equal((await kv.call('update', 'data/k', { data: { a: 1 } })).data?.deletion_time, '');
});

test('bad config input is refused and changes nothing', async () => {
  const kv = kvHarness('2');
  await kv.call('update', 'config', { max_versions: 3 });
  const before = await kv.snapshot();
  await assert.rejects(kv.call('update', 'config', { max_versions: -2 }), InvalidRequest);
  await assert.rejects(kv.call('update', 'config', { max_versions: 'many' }), InvalidRequest);
  await assert.rejects(kv.call('update', 'config', { delete_version_after: 'later' }), InvalidRequest);
  await assert.rejects(kv.call('update', 'config', { cas_required: 'perhaps' }), InvalidRequest);
  assert.deepEqual(await kv.snapshot(), before);
});
