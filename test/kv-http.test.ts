/**
 * KV v1/v2 and cubbyhole over HTTP against a real dev server: the wire shapes clients depend on
 * (empty 404 errors, 404-with-body for deleted versions, 204 writes, list 404 when empty, PATCH
 * content type, v1 lease_duration), ACL create-vs-update through existence checks, and an
 * in-place v1→v2 upgrade via sys/mounts tune.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, startDevServer, type DevServer } from './support/server.js';

const MERGE_PATCH = { 'Content-Type': 'application/merge-patch+json' };

let server: DevServer;
const call = (method: string, p: string, body?: unknown, headers?: Record<string, string>) => server.api.call(method, p, body, headers);

before(async () => { server = await startDevServer(); });
after(async () => { await server?.close(); });

describe('dev mode', () => {
  it('mounts secret/ as KV v2', async () => {
    const res = await call('GET', 'sys/mounts');
    assert.equal(res.status, 200);
    assert.equal(res.json.data['secret/'].type, 'kv');
    assert.deepEqual(res.json.data['secret/'].options, { version: '2' });
  });
});

describe('KV v2 over HTTP', () => {
  it('writes, reads and reports versions', async () => {
    const write = await call('POST', 'secret/data/app', { data: { password: 'p1' } });
    assert.equal(write.status, 200);
    assert.equal(write.json.data.version, 1);
    assert.equal(write.json.data.deletion_time, '');
    assert.match(write.json.data.created_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    const read = await call('GET', 'secret/data/app');
    assert.equal(read.status, 200);
    assert.equal(read.json.lease_duration, 0);
    assert.equal(read.json.lease_id, '');
    assert.deepEqual(read.json.data.data, { password: 'p1' });
    assert.equal(read.json.data.metadata.version, 1);
    assert.equal(read.json.mount_type ?? 'kv', 'kv');
  });

  it('answers a missing key with 404 and an empty errors list', async () => {
    const res = await call('GET', 'secret/data/does-not-exist');
    assert.equal(res.status, 404);
    assert.deepEqual(res.json, { errors: [] });
  });

  it('answers a soft-deleted version with 404 and the full envelope body', async () => {
    await call('POST', 'secret/data/gone', { data: { a: 1 } });
    const del = await call('DELETE', 'secret/data/gone');
    assert.equal(del.status, 204);
    const res = await call('GET', 'secret/data/gone');
    assert.equal(res.status, 404);
    assert.equal(res.json.data.data, null);
    assert.equal(res.json.data.metadata.version, 1);
    assert.notEqual(res.json.data.metadata.deletion_time, '');
    assert.equal(res.json.data.metadata.destroyed, false);
    assert.equal(typeof res.json.request_id, 'string');
    await call('POST', 'secret/destroy/gone', { versions: [1] });
    const destroyed = await call('GET', 'secret/data/gone');
    assert.equal(destroyed.status, 404);
    assert.equal(destroyed.json.data.metadata.destroyed, true);
  });

  it('answers metadata writes, delete/undelete/destroy with 204', async () => {
    assert.equal((await call('POST', 'secret/metadata/meta', { max_versions: 3, custom_metadata: { team: 'a' } })).status, 204);
    await call('POST', 'secret/data/meta', { data: { x: 1 } });
    assert.equal((await call('POST', 'secret/delete/meta', { versions: [1] })).status, 204);
    assert.equal((await call('POST', 'secret/undelete/meta', { versions: [1] })).status, 204);
    const meta = await call('GET', 'secret/metadata/meta');
    assert.equal(meta.json.data.max_versions, 3);
    assert.deepEqual(meta.json.data.custom_metadata, { team: 'a' });
    const bad = await call('POST', 'secret/delete/meta', {});
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, { errors: ['No version number provided'] });
  });

  it('lists metadata folders and answers an empty list with 404', async () => {
    await call('POST', 'secret/data/tree/a', { data: { x: 1 } });
    await call('POST', 'secret/data/tree/sub/b', { data: { x: 1 } });
    const list = await call('LIST', 'secret/metadata/tree');
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.data.keys, ['a', 'sub/']);
    const viaQuery = await call('GET', 'secret/metadata/tree/?list=true');
    assert.deepEqual(viaQuery.json.data.keys, ['a', 'sub/']);
    const empty = await call('LIST', 'secret/metadata/nothing-here');
    assert.equal(empty.status, 404);
    assert.deepEqual(empty.json, { errors: [] });
  });

  it('patches with merge-patch and refuses other content types with 415', async () => {
    await call('POST', 'secret/data/patchme', { data: { a: 1, b: 2 } });
    const wrongType = await call('PATCH', 'secret/data/patchme', { data: { a: 9 } });
    assert.equal(wrongType.status, 415);
    const ok = await call('PATCH', 'secret/data/patchme', { data: { a: 9, b: null } }, MERGE_PATCH);
    assert.equal(ok.status, 200);
    assert.equal(ok.json.data.version, 2);
    assert.deepEqual((await call('GET', 'secret/data/patchme')).json.data.data, { a: 9 });
    const missing = await call('PATCH', 'secret/data/never-written', { data: { a: 1 } }, MERGE_PATCH);
    assert.equal(missing.status, 404);
  });

  it('refuses bad writes with 400 and keeps the previous value', async () => {
    await call('POST', 'secret/data/keep', { data: { v: 'original' } });
    const noData = await call('POST', 'secret/data/keep', { options: {} });
    assert.equal(noData.status, 400);
    assert.deepEqual(noData.json, { errors: ['no data provided'] });
    const badCas = await call('POST', 'secret/data/keep', { data: { v: 'new' }, options: { cas: 0 } });
    assert.equal(badCas.status, 400);
    assert.deepEqual(badCas.json, { errors: ['check-and-set parameter did not match the current version'] });
    const badMeta = await call('POST', 'secret/metadata/keep', { custom_metadata: { k: 'v'.repeat(600) } });
    assert.equal(badMeta.status, 400);
    const read = await call('GET', 'secret/data/keep');
    assert.deepEqual(read.json.data.data, { v: 'original' });
    assert.equal(read.json.data.metadata.version, 1);
    assert.equal((await call('GET', 'secret/metadata/keep')).json.data.custom_metadata, null);
  });

  it('answers non-v2 paths with 404 and a hint', async () => {
    const res = await call('GET', 'secret/app');
    assert.equal(res.status, 404);
    assert.match(res.json.warnings[0], /Invalid path for a versioned K\/V secrets engine/);
  });

  it('reads config and subkeys', async () => {
    assert.equal((await call('POST', 'secret/config', { max_versions: 20 })).status, 204);
    assert.deepEqual((await call('GET', 'secret/config')).json.data, { cas_required: false, delete_version_after: '0s', max_versions: 20 });
    await call('POST', 'secret/data/nested', { data: { a: { b: 'secret' } } });
    assert.deepEqual((await call('GET', 'secret/subkeys/nested')).json.data.subkeys, { a: { b: null } });
  });
});

describe('KV v1 over HTTP', () => {
  before(async () => {
    const res = await call('POST', 'sys/mounts/kv1', { type: 'kv', options: { version: '1' } });
    assert.equal(res.status, 204);
  });

  it('writes with 204 and reads with the mount default lease_duration', async () => {
    assert.equal((await call('PUT', 'kv1/app', { user: 'u' })).status, 204);
    const read = await call('GET', 'kv1/app');
    assert.equal(read.status, 200);
    assert.deepEqual(read.json.data, { user: 'u' });
    assert.equal(read.json.lease_duration, 2764800);
    assert.equal(read.json.renewable, false);
    assert.equal(read.json.lease_id, '');
    await call('PUT', 'kv1/short', { user: 'u', ttl: '30m' });
    assert.equal((await call('GET', 'kv1/short')).json.lease_duration, 1800);
  });

  it('answers missing keys and empty lists with 404 {"errors":[]}', async () => {
    const missing = await call('GET', 'kv1/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { errors: [] });
    const empty = await call('LIST', 'kv1/empty');
    assert.equal(empty.status, 404);
    assert.deepEqual(empty.json, { errors: [] });
  });

  it('refuses an empty write and keeps the value', async () => {
    const res = await call('PUT', 'kv1/app', {});
    assert.equal(res.status, 400);
    assert.deepEqual((await call('GET', 'kv1/app')).json.data, { user: 'u' });
  });

  it('upgrades in place to v2 on tune, keeping the data as version 1', async () => {
    await call('PUT', 'kv1/dir/inner', { n: 1 });
    const tune = await call('POST', 'sys/mounts/kv1/tune', { options: { version: '2' } });
    assert.equal(tune.status, 200); // 200 rather than 204: Vault warns that the mount is upgrading
    assert.match(tune.json.warnings[0], /Upgrading mount from version 1 to version 2/);
    const [app, inner, list] = await Promise.all([
      call('GET', 'kv1/data/app'), call('GET', 'kv1/data/dir/inner'), call('LIST', 'kv1/metadata'),
    ]);
    assert.equal(app.status, 200);
    assert.deepEqual(app.json.data.data, { user: 'u' });
    assert.equal(app.json.data.metadata.version, 1);
    assert.deepEqual(inner.json.data.data, { n: 1 });
    assert.deepEqual(list.json.data.keys, ['app', 'dir/', 'short']);
    assert.equal((await call('GET', 'kv1/app')).status, 404);
    const downgrade = await call('POST', 'sys/mounts/kv1/tune', { options: { version: '1' } });
    assert.equal(downgrade.status, 400);
  });
});

describe('ACL create versus update on KV v2', () => {
  it('a policy with only update cannot create a new key but can overwrite an existing one', async () => {
    await call('PUT', 'sys/policies/acl/kv-update-only', { policy: 'path "secret/data/acl/*" { capabilities = ["update", "read"] }' });
    const created = await call('POST', 'auth/token/create', { policies: ['kv-update-only'] });
    assert.equal(created.status, 200);
    const limited = apiClient(server.api.url, created.json.auth.client_token);
    assert.equal((await limited.call('POST', 'secret/data/acl/new', { data: { a: 1 } })).status, 403);
    await call('POST', 'secret/data/acl/existing', { data: { a: 1 } });
    assert.equal((await limited.call('POST', 'secret/data/acl/existing', { data: { a: 2 } })).status, 200);
    assert.equal((await call('GET', 'secret/data/acl/new')).status, 404);
  });
});

describe('cubbyhole over HTTP', () => {
  it('is private per token and destroyed with the token', async () => {
    const created = await call('POST', 'auth/token/create', { policies: ['default'] });
    const token = created.json.auth.client_token as string;
    const mine = apiClient(server.api.url, token);
    assert.equal((await mine.call('POST', 'cubbyhole/note', { text: 'hi' })).status, 204);
    const read = await mine.call('GET', 'cubbyhole/note');
    assert.deepEqual(read.json.data, { text: 'hi' });
    assert.equal(read.json.lease_duration, 0);
    assert.equal((await call('GET', 'cubbyhole/note')).status, 404);
    assert.deepEqual((await mine.call('LIST', 'cubbyhole/')).json.data.keys, ['note']);
    const cubby = server.server.composed.mounts.find('mounts', 'cubbyhole/')!;
    assert.equal((await cubby.storage.list('')).length >= 1, true);
    assert.equal((await call('POST', 'auth/token/revoke', { token })).status, 204);
    for (const folder of await cubby.storage.list('')) {
      assert.deepEqual(await cubby.storage.list(folder), [], `entries left under ${folder}`);
    }
  });
});
