/**
 * Vault-client compatibility: a real dev server driven only through the `node-vault` npm client
 * (its generic read/write/list/delete, its generated helpers, and its request options for the
 * wrapping header). What a Vault user's existing Node code does must work unchanged.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startDevServer, type DevServer } from './support/server.js';

const require = createRequire(import.meta.url);
type Call = (args?: Record<string, unknown>) => Promise<any>;
interface NodeVault {
  token: string;
  read(path: string, options?: object): Promise<any>;
  write(path: string, data: unknown, options?: object): Promise<any>;
  list(path: string, options?: object): Promise<any>;
  delete(path: string, options?: object): Promise<any>;
  [helper: string]: unknown;
}
const nodeVault = require('node-vault') as (options: { endpoint: string; token?: string; apiVersion?: string }) => NodeVault;
const helper = (v: NodeVault, name: string): Call => v[name] as Call;

/** node-vault's tokenCreate adopts the new token as the client's own (its `tokenSource`); keep root. */
async function createToken(v: NodeVault, args: Record<string, unknown>): Promise<any> {
  const own = v.token;
  try { return await helper(v, 'tokenCreate')(args); } finally { v.token = own; }
}

/** node-vault rejects with an Error whose `response.statusCode` is the HTTP status. */
const status = (code: number) => (err: { response?: { statusCode: number } }) => err.response?.statusCode === code;

let server: DevServer;
let vault: NodeVault;
before(async () => {
  server = await startDevServer();
  vault = nodeVault({ endpoint: server.api.url, token: server.rootToken, apiVersion: 'v1' });
});
after(async () => { await server?.close(); });

test('health and status', async () => {
  const health = await helper(vault, 'health')();
  assert.equal(health.initialized, true);
  assert.equal(health.sealed, false);
  assert.equal(health.standby, false);
  const sealStatus = await helper(vault, 'status')();
  assert.equal(sealStatus.sealed, false);
  assert.equal(sealStatus.t, 1);
  assert.equal(sealStatus.n, 1);
});

test('KV v2: write, read versions, list, delete, undelete, destroy', async () => {
  assert.equal((await vault.write('secret/data/compat/app', { data: { v: 'one' } })).data.version, 1);
  assert.equal((await vault.write('secret/data/compat/app', { data: { v: 'two' } })).data.version, 2);
  await assert.rejects(vault.write('secret/data/compat/app', { data: { v: 'x' }, options: { cas: 1 } }), status(400));

  assert.deepEqual((await vault.read('secret/data/compat/app')).data.data, { v: 'two' });
  assert.deepEqual((await vault.read('secret/data/compat/app?version=1')).data.data, { v: 'one' });
  assert.deepEqual((await vault.list('secret/metadata/compat')).data.keys, ['app']);

  await vault.write('secret/delete/compat/app', { versions: [1] });
  await assert.rejects(vault.read('secret/data/compat/app?version=1'), status(404));
  await vault.write('secret/undelete/compat/app', { versions: [1] });
  assert.deepEqual((await vault.read('secret/data/compat/app?version=1')).data.data, { v: 'one' });

  await helper(vault, 'destroySecretVersions')({ mount_point: 'secret', path: 'compat/app', versions: [1] });
  const meta = await vault.read('secret/metadata/compat/app');
  assert.equal(meta.data.versions['1'].destroyed, true);
  assert.equal(meta.data.versions['2'].destroyed, false);
  await assert.rejects(vault.read('secret/data/compat/app?version=1'), status(404));

  await vault.delete('secret/data/compat/app');
  await assert.rejects(vault.read('secret/data/compat/app'), status(404));
  await vault.delete('secret/metadata/compat/app');
  await assert.rejects(vault.list('secret/metadata/compat'), status(404));
});

test('tokens: create, lookup, lookup-self with the new token, revoke', async () => {
  const created = await createToken(vault, { policies: ['default'], ttl: '1h', meta: { app: 'compat' } });
  const token: string = created.auth.client_token;
  assert.match(token, /^hvs\./);
  assert.deepEqual(created.auth.policies, ['default']);
  assert.equal(created.auth.lease_duration, 3600);

  const looked = await helper(vault, 'tokenLookup')({ token });
  assert.equal(looked.data.id, token);
  assert.deepEqual(looked.data.meta, { app: 'compat' });

  const child = nodeVault({ endpoint: server.api.url, token, apiVersion: 'v1' });
  assert.equal((await helper(child, 'tokenLookupSelf')()).data.accessor, created.auth.accessor);
  await assert.rejects(child.read('sys/mounts'), status(403));

  await helper(vault, 'tokenRevoke')({ token });
  await assert.rejects(helper(vault, 'tokenLookup')({ token }), status(403));
  await assert.rejects(helper(child, 'tokenLookupSelf')(), status(403));
});

test('policies: addPolicy, getPolicy, policies, and the policy takes effect', async () => {
  const rules = 'path "secret/data/compat-policy/*" {\n  capabilities = ["read"]\n}\n';
  await helper(vault, 'addPolicy')({ name: 'compat-reader', rules });
  const read = await helper(vault, 'getPolicy')({ name: 'compat-reader' });
  assert.equal(read.rules, rules);
  const listed = await helper(vault, 'policies')();
  assert.ok(listed.policies.includes('compat-reader'), JSON.stringify(listed));

  await vault.write('secret/data/compat-policy/x', { data: { k: 'v' } });
  const token = (await createToken(vault, { policies: ['compat-reader'] })).auth.client_token;
  const reader = nodeVault({ endpoint: server.api.url, token, apiVersion: 'v1' });
  assert.deepEqual((await reader.read('secret/data/compat-policy/x')).data.data, { k: 'v' });
  await assert.rejects(reader.write('secret/data/compat-policy/x', { data: {} }), status(403));

  await helper(vault, 'removePolicy')({ name: 'compat-reader' });
  await assert.rejects(helper(vault, 'getPolicy')({ name: 'compat-reader' }), status(404));
});

test('mounts: mount a KV v2 engine, see it in mounts, use it, unmount it', async () => {
  await helper(vault, 'mount')({ mount_point: 'compat-kv', type: 'kv', options: { version: '2' }, description: 'from node-vault' });
  const mounts = await helper(vault, 'mounts')();
  const entry = mounts.data?.['compat-kv/'] ?? mounts['compat-kv/'];
  assert.equal(entry.type, 'kv');
  assert.deepEqual(entry.options, { version: '2' });
  assert.equal(entry.description, 'from node-vault');
  await vault.write('compat-kv/data/a', { data: { x: '1' } });
  assert.deepEqual((await vault.read('compat-kv/data/a')).data.data, { x: '1' });

  await helper(vault, 'unmount')({ mount_point: 'compat-kv' });
  const after = await helper(vault, 'mounts')();
  assert.equal((after.data ?? after)['compat-kv/'], undefined);
  await assert.rejects(vault.read('compat-kv/data/a'), status(404));
});

test('wrapping: X-Vault-Wrap-TTL through requestOptions, then unwrap once', async () => {
  const wrapped = await createToken(vault, { policies: ['default'], requestOptions: { headers: { 'X-Vault-Wrap-TTL': '60s' } } });
  assert.equal(wrapped.auth, null);
  assert.equal(wrapped.wrap_info.ttl, 60);
  assert.equal(wrapped.wrap_info.creation_path, 'auth/token/create');
  const wrappingToken: string = wrapped.wrap_info.token;

  const unwrapped = await helper(vault, 'unwrap')({ token: wrappingToken });
  assert.match(unwrapped.auth.client_token, /^hvs\./);
  assert.equal(unwrapped.auth.accessor, wrapped.wrap_info.wrapped_accessor);
  await assert.rejects(helper(vault, 'unwrap')({ token: wrappingToken }), status(400));

  // A wrapped KV read, unwrapped by a client holding only the wrapping token.
  await vault.write('secret/data/compat-wrap', { data: { s: 'v' } });
  const wrappedRead = await vault.read('secret/data/compat-wrap', { headers: { 'X-Vault-Wrap-TTL': '5m' } });
  const holder = nodeVault({ endpoint: server.api.url, token: wrappedRead.wrap_info.token, apiVersion: 'v1' });
  assert.deepEqual((await helper(holder, 'unwrap')()).data.data, { s: 'v' });
});
