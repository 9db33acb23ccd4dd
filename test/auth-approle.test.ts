/**
 * AppRole over HTTP against a real dev server: roles, role-id, secret ids (generate, custom,
 * lookup, destroy, accessors, list), login, num_uses exhaustion, CIDR binding, wrapped
 * delivery, tidy, and that failed logins leave no token.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer, apiClient, type DevServer, type Api } from './support/server.js';

let dev: DevServer;
let api: Api;
let anon: Api;

async function accessorCount(): Promise<number> {
  const res = await api.call('LIST', 'auth/token/accessors');
  return (res.json.data.keys as string[]).length;
}

async function roleId(role: string): Promise<string> {
  const res = await api.call('GET', `auth/approle/role/${role}/role-id`);
  assert.equal(res.status, 200);
  return res.json.data.role_id;
}

before(async () => {
  dev = await startDevServer();
  api = dev.api;
  anon = apiClient(api.url);
  assert.equal((await api.call('POST', 'sys/auth/approle', { type: 'approle' })).status, 204);
});

after(async () => { await dev?.close(); });

test('role CRUD, role-id, secret-id generate and login with metadata', async () => {
  const created = await api.call('POST', 'auth/approle/role/ci', { token_policies: 'deployer', token_ttl: '20m', secret_id_ttl: '1h' });
  assert.equal(created.status, 204);
  const read = await api.call('GET', 'auth/approle/role/ci');
  assert.equal(read.json.data.bind_secret_id, true);
  assert.equal(read.json.data.secret_id_ttl, 3600);
  assert.deepEqual(read.json.data.token_policies, ['deployer']);
  assert.deepEqual((await api.call('LIST', 'auth/approle/role')).json.data.keys, ['ci']);
  const rid = await roleId('ci');
  const gen = await api.call('POST', 'auth/approle/role/ci/secret-id', { metadata: { team: 'web' } });
  assert.equal(gen.status, 200);
  assert.equal(gen.json.data.secret_id_ttl, 3600);
  assert.equal(gen.json.data.secret_id_num_uses, 0);
  const login = await anon.call('POST', 'auth/approle/login', { role_id: rid, secret_id: gen.json.data.secret_id });
  assert.equal(login.status, 200);
  assert.deepEqual(login.json.auth.policies, ['default', 'deployer']);
  assert.deepEqual(login.json.auth.metadata, { role_name: 'ci', team: 'web' });
  assert.equal(login.json.auth.lease_duration, 1200);
  assert.match(login.json.auth.entity_id, /^[0-9a-f-]{36}$/);
  const lookup = await apiClient(api.url, login.json.auth.client_token).call('GET', 'auth/token/lookup-self');
  assert.equal(lookup.json.data.entity_id, login.json.auth.entity_id);
  const entity = await api.call('GET', `identity/entity/id/${login.json.auth.entity_id}`);
  assert.equal(entity.json.data.aliases[0].name, rid);
  // The secret id lookups never return the secret id itself.
  const byId = await api.call('POST', 'auth/approle/role/ci/secret-id/lookup', { secret_id: gen.json.data.secret_id });
  assert.equal(byId.status, 200);
  assert.equal(byId.json.data.secret_id_accessor, gen.json.data.secret_id_accessor);
  assert.deepEqual(byId.json.data.metadata, { team: 'web' });
  assert.equal(byId.text.includes(gen.json.data.secret_id), false);
  const byAccessor = await api.call('POST', 'auth/approle/role/ci/secret-id-accessor/lookup', { secret_id_accessor: gen.json.data.secret_id_accessor });
  assert.equal(byAccessor.json.data.secret_id_ttl, 3600);
  const list = await api.call('LIST', 'auth/approle/role/ci/secret-id');
  assert.deepEqual(list.json.data.keys, [gen.json.data.secret_id_accessor]);
});

test('wrong secret id and unknown role id: 400 "invalid role or secret ID", no token left', async () => {
  const rid = await roleId('ci');
  const before = await accessorCount();
  const wrong = await anon.call('POST', 'auth/approle/login', { role_id: rid, secret_id: 'not-a-secret' });
  assert.equal(wrong.status, 400);
  assert.deepEqual(wrong.json.errors, ['invalid role or secret ID']);
  const unknown = await anon.call('POST', 'auth/approle/login', { role_id: 'nope', secret_id: 'x' });
  assert.deepEqual(unknown.json.errors, ['invalid role or secret ID']);
  const missing = await anon.call('POST', 'auth/approle/login', { role_id: rid });
  assert.deepEqual(missing.json.errors, ['missing secret_id']);
  assert.equal(await accessorCount(), before);
});

test('secret_id num_uses is exhausted after its uses', async () => {
  const gen = await api.call('POST', 'auth/approle/role/ci/secret-id', { num_uses: 2 });
  const body = { role_id: await roleId('ci'), secret_id: gen.json.data.secret_id };
  assert.equal((await anon.call('POST', 'auth/approle/login', body)).status, 200);
  const left = await api.call('POST', 'auth/approle/role/ci/secret-id/lookup', { secret_id: body.secret_id });
  assert.equal(left.json.data.secret_id_num_uses, 1);
  assert.equal((await anon.call('POST', 'auth/approle/login', body)).status, 200);
  const before = await accessorCount();
  const third = await anon.call('POST', 'auth/approle/login', body);
  assert.equal(third.status, 400);
  assert.deepEqual(third.json.errors, ['invalid role or secret ID']);
  assert.equal(await accessorCount(), before);
  assert.equal((await api.call('POST', 'auth/approle/role/ci/secret-id/lookup', { secret_id: body.secret_id })).status, 204);
});

test('CIDR binding: secret id cidr_list and role secret_id_bound_cidrs outside the caller refuse the login', async () => {
  await api.call('POST', 'auth/approle/role/bound', { secret_id_bound_cidrs: '10.0.0.0/8' });
  const rid = await roleId('bound');
  const outside = await api.call('POST', 'auth/approle/role/bound/secret-id', { cidr_list: '10.1.0.0/16' });
  assert.equal(outside.status, 200);
  const before = await accessorCount();
  const res = await anon.call('POST', 'auth/approle/login', { role_id: rid, secret_id: outside.json.data.secret_id });
  assert.equal(res.status, 400);
  assert.deepEqual(res.json.errors, ['source address unauthorized by CIDR restrictions on the secret ID']);
  assert.equal(await accessorCount(), before);
  const notSubset = await api.call('POST', 'auth/approle/role/bound/secret-id', { cidr_list: '127.0.0.0/8' });
  assert.equal(notSubset.status, 400);
  await api.call('POST', 'auth/approle/role/bound', { secret_id_bound_cidrs: '127.0.0.0/8' });
  const inside = await api.call('POST', 'auth/approle/role/bound/secret-id', { cidr_list: '127.0.0.1/32' });
  assert.equal((await anon.call('POST', 'auth/approle/login', { role_id: rid, secret_id: inside.json.data.secret_id })).status, 200);
});

test('custom secret id, destroy by id and by accessor, bind_secret_id=false needs a CIDR', async () => {
  const custom = await api.call('POST', 'auth/approle/role/ci/custom-secret-id', { secret_id: 'my-own-secret-id' });
  assert.equal(custom.status, 200);
  assert.equal(custom.json.data.secret_id, 'my-own-secret-id');
  const dup = await api.call('POST', 'auth/approle/role/ci/custom-secret-id', { secret_id: 'my-own-secret-id' });
  assert.equal(dup.status, 400);
  const rid = await roleId('ci');
  assert.equal((await anon.call('POST', 'auth/approle/login', { role_id: rid, secret_id: 'my-own-secret-id' })).status, 200);
  assert.equal((await api.call('POST', 'auth/approle/role/ci/secret-id/destroy', { secret_id: 'my-own-secret-id' })).status, 204);
  assert.equal((await anon.call('POST', 'auth/approle/login', { role_id: rid, secret_id: 'my-own-secret-id' })).status, 400);
  const gen = await api.call('POST', 'auth/approle/role/ci/secret-id', {});
  assert.equal((await api.call('POST', 'auth/approle/role/ci/secret-id-accessor/destroy', { secret_id_accessor: gen.json.data.secret_id_accessor })).status, 204);
  assert.equal((await anon.call('POST', 'auth/approle/login', { role_id: rid, secret_id: gen.json.data.secret_id })).status, 400);
  const noConstraint = await api.call('POST', 'auth/approle/role/open', { bind_secret_id: false });
  assert.equal(noConstraint.status, 400);
  assert.deepEqual(noConstraint.json.errors, ['at least one constraint should be enabled on the role']);
  await api.call('POST', 'auth/approle/role/open', { bind_secret_id: false, secret_id_bound_cidrs: '127.0.0.0/8' });
  assert.equal((await anon.call('POST', 'auth/approle/login', { role_id: await roleId('open') })).status, 200);
  assert.equal((await api.call('POST', 'auth/approle/role/ci/role-id', { role_id: 'custom-role-id' })).status, 204);
  assert.equal(await roleId('ci'), 'custom-role-id');
  assert.equal((await anon.call('POST', 'auth/approle/login', { role_id: rid, secret_id: 'x' })).status, 400);
});

test('wrapped secret id delivery (X-Vault-Wrap-TTL) unwraps to a working secret id', async () => {
  const wrapped = await api.call('POST', 'auth/approle/role/ci/secret-id', {}, { 'X-Vault-Wrap-TTL': '60s' });
  assert.equal(wrapped.status, 200);
  assert.equal(wrapped.json.data, null);
  assert.equal(typeof wrapped.json.wrap_info.token, 'string');
  const unwrapped = await apiClient(api.url, wrapped.json.wrap_info.token).call('POST', 'sys/wrapping/unwrap');
  assert.equal(unwrapped.status, 200);
  assert.equal(wrapped.json.wrap_info.wrapped_accessor, unwrapped.json.data.secret_id_accessor);
  const login = await anon.call('POST', 'auth/approle/login', { role_id: await roleId('ci'), secret_id: unwrapped.json.data.secret_id });
  assert.equal(login.status, 200);
});

test('tidy/secret-id answers 202; deleting a role removes its secret ids', async () => {
  const tidy = await api.call('POST', 'auth/approle/tidy/secret-id');
  assert.equal(tidy.status, 202);
  await api.call('POST', 'auth/approle/role/gone', { token_policies: 'x' });
  const gen = await api.call('POST', 'auth/approle/role/gone/secret-id', {});
  assert.equal((await api.call('DELETE', 'auth/approle/role/gone')).status, 204);
  assert.equal((await api.call('GET', 'auth/approle/role/gone')).status, 404);
  await api.call('POST', 'auth/approle/role/gone', { token_policies: 'x' });
  assert.equal((await api.call('POST', 'auth/approle/role/gone/secret-id/lookup', { secret_id: gen.json.data.secret_id })).status, 204);
});

test('lockout counts wrong secret ids per role_id; sys/locked-users lists the role id', async () => {
  await api.call('POST', 'sys/auth/ar2', { type: 'approle' });
  await api.call('POST', 'sys/auth/ar2/tune', { user_lockout_config: { lockout_threshold: 2 } });
  await api.call('POST', 'auth/ar2/role/r', { token_policies: 'x' });
  const rid = (await api.call('GET', 'auth/ar2/role/r/role-id')).json.data.role_id as string;
  const good = (await api.call('POST', 'auth/ar2/role/r/secret-id', {})).json.data.secret_id;
  assert.equal((await anon.call('POST', 'auth/ar2/login', { role_id: rid, secret_id: 'bad-1' })).status, 400);
  assert.equal((await anon.call('POST', 'auth/ar2/login', { role_id: rid, secret_id: 'bad-2' })).status, 400);
  assert.equal((await anon.call('POST', 'auth/ar2/login', { role_id: rid, secret_id: good })).status, 403);
  const accessor = (await api.call('GET', 'sys/auth')).json.data['ar2/'].accessor;
  const locked = await api.call('GET', 'sys/locked-users', undefined);
  assert.deepEqual(locked.json.data.by_namespace[0].mount_accessors, [{ mount_accessor: accessor, counts: 1, alias_identifiers: [rid] }]);
  assert.equal((await api.call('POST', `sys/locked-users/${accessor}/unlock/${rid}`)).status, 204);
  assert.equal((await anon.call('POST', 'auth/ar2/login', { role_id: rid, secret_id: good })).status, 200);
});
