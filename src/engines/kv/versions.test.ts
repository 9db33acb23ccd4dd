import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration } from '../../util/duration.js';
import { InvalidRequest, StorageError } from '../../errors.js';
import { decodeEntry } from './store.js';
import {
  addVersion, defaultConfig, newKeyMetadata, parseVersionList, rfc3339Nano, scheduledDeletion, type KeyMetadata,
} from './versions.js';

test('times render as Go RFC3339Nano and durations as Go strings', () => {
  assert.equal(rfc3339Nano(new Date('2024-05-06T07:08:09.000Z')), '2024-05-06T07:08:09Z');
  assert.equal(rfc3339Nano(new Date('2024-05-06T07:08:09.120Z')), '2024-05-06T07:08:09.12Z');
  assert.equal(rfc3339Nano(new Date('2024-05-06T07:08:09.007Z')), '2024-05-06T07:08:09.007Z');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(12319), '3h25m19s');
  assert.equal(formatDuration(-1), '-1s');
});

test('version lists accept Vault\'s forms and refuse others', () => {
  assert.deepEqual(parseVersionList([1, '2']), [1, 2]);
  assert.deepEqual(parseVersionList('3, 4'), [3, 4]);
  assert.deepEqual(parseVersionList(5), [5]);
  assert.deepEqual(parseVersionList(undefined), []);
  assert.throws(() => parseVersionList([1.5]), InvalidRequest);
  assert.throws(() => parseVersionList({ a: 1 }), InvalidRequest);
  assert.throws(() => parseVersionList([-1]), InvalidRequest);
});

test('the max_versions window slides one version at a time and catches up after a decrease', () => {
  const meta = newKeyMetadata('k', new Date(0));
  const config = { ...defaultConfig(), maxVersions: 2 };
  assert.deepEqual(addVersion(meta, config, new Date(1)).purge, []);
  assert.deepEqual(addVersion(meta, config, new Date(2)).purge, []);
  assert.equal(meta.oldestVersion, 1);
  assert.deepEqual(addVersion(meta, config, new Date(3)).purge, [1]);
  for (let i = 0; i < 3; i++) addVersion(meta, { ...config, maxVersions: 10 }, new Date(4 + i));
  assert.deepEqual(addVersion(meta, { ...config, maxVersions: 1 }, new Date(9)).purge, [2, 3, 4, 5, 6]);
  assert.deepEqual(Object.keys(meta.versions), ['7']);
  assert.equal(meta.oldestVersion, 7);
});

test('scheduled deletion uses the smaller non-zero setting', () => {
  const meta = { ...newKeyMetadata('k', new Date(0)), deleteVersionAfter: 30 };
  assert.equal(scheduledDeletion(new Date(0), { ...defaultConfig(), deleteVersionAfter: 60 }, meta), '1970-01-01T00:00:30Z');
  assert.equal(scheduledDeletion(new Date(0), { ...defaultConfig(), deleteVersionAfter: 10 }, meta), '1970-01-01T00:00:10Z');
  assert.equal(scheduledDeletion(new Date(0), defaultConfig(), { ...meta, deleteVersionAfter: 0 }), '');
});

// Golden fixture: the stored metadata layout, version 1. Changing the format must keep this decoding.
const METADATA_V1 = '{"v":1,"key":"app/db","currentVersion":2,"oldestVersion":0,"createdTime":"2024-01-01T00:00:00Z",'
  + '"updatedTime":"2024-01-01T00:01:00Z","maxVersions":0,"casRequired":false,"deleteVersionAfter":0,"customMetadata":null,'
  + '"versions":{"1":{"createdTime":"2024-01-01T00:00:00Z","deletionTime":"","destroyed":false},'
  + '"2":{"createdTime":"2024-01-01T00:01:00Z","deletionTime":"2024-01-01T00:02:00Z","destroyed":false}}}';

test('stored metadata v1 decodes; unknown format versions are refused', () => {
  const meta = decodeEntry<KeyMetadata>(Buffer.from(METADATA_V1), 'metadata');
  assert.equal(meta.currentVersion, 2);
  assert.equal(meta.versions['2'].deletionTime, '2024-01-01T00:02:00Z');
  const written = newKeyMetadata('app/db', new Date('2024-01-01T00:00:00Z'));
  assert.deepEqual(Object.keys(written), Object.keys(meta));
  assert.throws(() => decodeEntry(Buffer.from('{"v":2}'), 'metadata'), StorageError);
  assert.throws(() => decodeEntry(Buffer.from('not json'), 'metadata'), StorageError);
});
