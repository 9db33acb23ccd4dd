/** `arca kv ...` against a real dev server process: v1/v2 detection, versions, -format=json exactness. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiClient } from './support/api.js';
import { jsonOf, ok, startDevCli, type DevCli } from './cli-support.js';

let cli: DevCli;
before(async () => { cli = await startDevCli(); });
after(async () => { await cli.close(); });

test('kv put/get on v2 (secret/): table layout, -field, -version, and json identical to the API envelope', async () => {
  const put = ok(await cli.run(['kv', 'put', 'secret/app', 'user=alice', 'note=<a&b>']));
  assert.match(put.stdout, /^=+ Secret Path =+\nsecret\/data\/app\n\n=+ Metadata =+\nKey +Value\n--- +-----\ncreated_time +\S+\ncustom_metadata +<nil>\ndeletion_time +n\/a\ndestroyed +false\nversion +1\n$/);
  ok(await cli.run(['kv', 'put', '-mount=secret', 'app', 'user=bob']));

  const get = ok(await cli.run(['kv', 'get', 'secret/app']));
  assert.match(get.stdout, /^= Secret Path =\nsecret\/data\/app\n\n======= Metadata =======\n/);
  assert.match(get.stdout, /\nversion +2\n\n=+ Data =+\nKey +Value\n--- +-----\nuser +bob\n$/);

  assert.equal(ok(await cli.run(['kv', 'get', '-field=user', 'secret/app'])).stdout, 'bob');
  assert.equal(ok(await cli.run(['kv', 'get', '-version=1', '-field=note', '-mount=secret', 'app'])).stdout, '<a&b>');

  // -format=json is the envelope re-encoded as Vault's CLI does: struct order, sorted maps, HTML escapes.
  const json = await cli.run(['kv', 'get', '-format=json', '-version=1', 'secret/app']);
  const api = apiClient(cli.server.url, 'root');
  const raw = (await api.call('GET', 'secret/data/app?version=1')).json;
  const expected = {
    request_id: json.stdout ? JSON.parse(json.stdout).request_id : '', lease_id: '', lease_duration: 0, renewable: false,
    data: { data: { note: '<a&b>', user: 'alice' }, metadata: raw.data.metadata }, warnings: null,
  };
  assert.deepEqual(jsonOf(json), expected);
  assert.match(json.stdout, /^\{\n  "request_id": "[^"]+",\n  "lease_id": "",\n  "lease_duration": 0,\n  "renewable": false,\n  "data": \{\n    "data": \{\n      "note": "\\u003ca\\u0026b\\u003e",\n      "user": "alice"\n    \},\n    "metadata": \{\n      "created_time": "[^"]+",\n      "custom_metadata": null,\n      "deletion_time": "",\n      "destroyed": false,\n      "version": 1\n    \}\n  \},\n  "warnings": null\n\}\n$/);
});

test('kv patch merges, -cas guards put, delete/undelete/destroy act on versions', async () => {
  ok(await cli.run(['kv', 'put', 'secret/p', 'a=1', 'b=2']));
  const patched = ok(await cli.run(['kv', 'patch', '-format=json', 'secret/p', 'b=3', 'c=4']));
  assert.equal(JSON.parse(patched.stdout).data.version, 2);
  assert.deepEqual(jsonOf(await cli.run(['kv', 'get', '-format=json', 'secret/p'])).data.data, { a: '1', b: '3', c: '4' });
  ok(await cli.run(['kv', 'patch', '-remove-data=a', 'secret/p', 'd=5']));
  ok(await cli.run(['kv', 'patch', '-method=rw', 'secret/p', 'c=4']));
  assert.deepEqual(jsonOf(await cli.run(['kv', 'get', '-format=json', 'secret/p'])).data.data, { b: '3', c: '4', d: '5' });

  const cas = await cli.run(['kv', 'put', '-cas=1', 'secret/p', 'x=y']);
  assert.equal(cas.code, 2);
  assert.match(cas.stderr, /^Error writing data to secret\/data\/p: Error making API request\.\n\nURL: PUT http:\/\/127\.0\.0\.1:\d+\/v1\/secret\/data\/p\nCode: 400\. Errors:\n\n\* /);

  assert.equal(ok(await cli.run(['kv', 'delete', 'secret/p'])).stdout, 'Success! Data deleted (if it existed) at: secret/data/p\n');
  const deleted = ok(await cli.run(['kv', 'get', 'secret/p']));
  assert.doesNotMatch(deleted.stdout, /=+ Data =+/);
  assert.match(deleted.stdout, /\ndeletion_time +\d{4}-/);
  assert.equal(ok(await cli.run(['kv', 'undelete', '-versions=4', 'secret/p'])).stdout, 'Success! Data written to: secret/undelete/p\n');
  assert.equal(ok(await cli.run(['kv', 'get', '-field=d', 'secret/p'])).stdout, '5');
  ok(await cli.run(['kv', 'delete', '-versions=1,2', 'secret/p']));
  assert.equal(ok(await cli.run(['kv', 'destroy', '-versions=1', 'secret/p'])).stdout, 'Success! Data written to: secret/destroy/p\n');
  const meta = jsonOf(await cli.run(['kv', 'metadata', 'get', '-format=json', 'secret/p']));
  assert.equal(meta.data.versions['1'].destroyed, true);
  assert.notEqual(meta.data.versions['2'].deletion_time, '');
  assert.equal(meta.data.current_version, 4);

  const missing = await cli.run(['kv', 'undelete', 'secret/p']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'No versions provided, use the "-versions" flag to specify the version to undelete.\n');
});

test('kv metadata put/get/delete and kv list', async () => {
  ok(await cli.run(['kv', 'put', 'secret/dir/one', 'k=v']));
  ok(await cli.run(['kv', 'put', 'secret/dir/two', 'k=v']));
  assert.equal(ok(await cli.run(['kv', 'metadata', 'put', '-max-versions=3', '-custom-metadata=owner=ops', 'secret/dir/one'])).stdout, 'Success! Data written to: secret/metadata/dir/one\n');
  const table = ok(await cli.run(['kv', 'metadata', 'get', 'secret/dir/one']));
  assert.match(table.stdout, /^=+ Metadata Path =+\nsecret\/metadata\/dir\/one\n\n=+ Metadata =+\nKey +Value\n/);
  assert.match(table.stdout, /\ncustom_metadata +map\[owner:ops\]\n/);
  assert.match(table.stdout, /\nmax_versions +3\n/);
  assert.match(table.stdout, /\n\n=+ Version 1 =+\nKey +Value\n--- +-----\ncreated_time +\S+\ndeletion_time +n\/a\ndestroyed +false\n?$/);

  assert.equal(ok(await cli.run(['kv', 'list', 'secret/dir'])).stdout, 'Keys\n----\none\ntwo\n');
  assert.deepEqual(jsonOf(await cli.run(['kv', 'list', '-format=json', '-mount=secret', 'dir'])), ['one', 'two']);
  assert.equal(ok(await cli.run(['kv', 'metadata', 'delete', 'secret/dir/one'])).stdout, 'Success! Data deleted (if it existed) at: secret/metadata/dir/one\n');
  const gone = await cli.run(['kv', 'get', 'secret/dir/one']);
  assert.equal(gone.code, 2);
  assert.equal(gone.stderr, 'No value found at secret/data/dir/one\n');
});

test('kv on a v1 mount: plain paths, key=@file and "-" from stdin, v2-only commands refused', async () => {
  ok(await cli.run(['secrets', 'enable', '-path=kv1', 'kv']));
  const file = join(cli.home, 'value.txt');
  await writeFile(file, 'from-a-file');
  assert.equal(ok(await cli.run(['kv', 'put', 'kv1/a', 'f=@' + file])).stdout, 'Success! Data written to: kv1/a\n');
  ok(await cli.run(['kv', 'put', '-mount=kv1', 'b', '-'], '{"n":"from-stdin"}'));
  assert.equal(ok(await cli.run(['kv', 'get', '-field=f', 'kv1/a'])).stdout, 'from-a-file');
  const b = ok(await cli.run(['kv', 'get', 'kv1/b']));
  assert.equal(b.stdout, '== Data ==\nKey    Value\n---    -----\nn      from-stdin\n');
  assert.equal(ok(await cli.run(['kv', 'list', 'kv1'])).stdout, 'Keys\n----\na\nb\n');
  const meta = await cli.run(['kv', 'metadata', 'get', 'kv1/a']);
  assert.equal(meta.code, 1);
  assert.equal(meta.stderr, 'Metadata not supported on KV Version 1\n');
  const patch = await cli.run(['kv', 'patch', 'kv1/a', 'x=1']);
  assert.equal(patch.code, 2);
  assert.equal(patch.stderr, 'K/V engine mount must be version 2 for patch support\n');
  ok(await cli.run(['kv', 'delete', 'kv1/a']));
  assert.equal((await cli.run(['kv', 'get', 'kv1/a'])).code, 2);
});

test('usage errors exit 1 with Vault\'s messages', async () => {
  const none = await cli.run(['kv', 'get']);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'Not enough arguments (expected 1, got 0)\n');
  const nodata = await cli.run(['kv', 'put', 'secret/x']);
  assert.equal(nodata.code, 1);
  assert.equal(nodata.stderr, 'Must supply data\n');
  const bad = await cli.run(['kv', 'put', 'secret/x', 'novalue']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^Failed to parse K=V data: /);
});
