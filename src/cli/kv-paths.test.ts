import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addPrefixToKvPath, joinPath, kvApiPath, parseVersions, sanitizePath } from './kv-paths.js';
import { goJson, secretJson } from './format.js';
import { formatPolicy, PolicyFormatError } from './policy-format.js';

test('addPrefixToKvPath follows Vault: mount root, nested mounts, paths outside the mount', () => {
  assert.equal(addPrefixToKvPath('secret/foo', 'secret/', 'data'), 'secret/data/foo');
  assert.equal(addPrefixToKvPath('secret', 'secret/', 'metadata'), 'secret/metadata');
  assert.equal(addPrefixToKvPath('team/kv/a/b', 'team/kv/', 'delete'), 'team/kv/delete/a/b');
  assert.equal(addPrefixToKvPath('kv/a', 'ns1/kv/', 'data'), 'kv/data/a');
  assert.equal(kvApiPath({ mountPath: 'kv1/', v2: false, partialPath: 'x', mountFlag: true }, 'data'), 'kv1/x');
  assert.equal(kvApiPath({ mountPath: 'kv1/', v2: false, partialPath: 'kv1/x', mountFlag: false }, 'data'), 'kv1/x');
  assert.equal(sanitizePath(' /a/b/ '), 'a/b');
  assert.equal(joinPath('a/', '/b//', 'c'), 'a/b/c');
  assert.deepEqual(parseVersions(['1,2', '3']), ['1', '2', '3']);
});

test('secret JSON: struct order, sorted maps, HTML escaping, auth/wrap_info only when present', () => {
  const text = secretJson({ data: { z: 1, a: { y: '<', b: '&' } }, request_id: 'r', warnings: null, auth: null, wrap_info: null, lease_duration: 0, renewable: false, lease_id: '' });
  assert.equal(text, '{\n  "request_id": "r",\n  "lease_id": "",\n  "lease_duration": 0,\n  "renewable": false,\n  "data": {\n    "a": {\n      "b": "\\u0026",\n      "y": "\\u003c"\n    },\n    "z": 1\n  },\n  "warnings": null\n}');
  assert.equal(goJson(['b', 'a']), '[\n  "b",\n  "a"\n]');
  assert.deepEqual(Object.keys(JSON.parse(secretJson({ auth: { client_token: 't', accessor: 'a', lease_duration: 0, renewable: false } }))), ['request_id', 'lease_id', 'lease_duration', 'renewable', 'data', 'warnings', 'auth']);
});

test('policy fmt: canonical layout, invalid keys and capabilities refused', () => {
  assert.equal(formatPolicy('path "a" {\ncapabilities=["read"]\n}'), 'path "a" {\n  capabilities = ["read"]\n}\n');
  assert.throws(() => formatPolicy('path "a" { capabilitie = ["read"] }'), PolicyFormatError);
  assert.throws(() => formatPolicy('path "a" { capabilities = ["fly"] }'), PolicyFormatError);
  assert.throws(() => formatPolicy('paths "a" { capabilities = ["read"] }'), PolicyFormatError);
  assert.throws(() => formatPolicy('path "a" {'), PolicyFormatError);
});
