/**
 * userpass over HTTP against a real dev server: login, wrong password, lockout on the
 * canonical name, locked-users list/unlock, bound CIDRs, no token left by a failed login,
 * entity created on first login, identity group policies in the ACL.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer, apiClient, type DevServer, type Api } from './support/server.js';

let dev: DevServer;
let api: Api;
let accessor: string;

async function accessorCount(): Promise<number> {
  const res = await api.call('LIST', 'auth/token/accessors');
  assert.equal(res.status, 200);
  return (res.json.data.keys as string[]).length;
}

before(async () => {
  dev = await startDevServer();
  api = dev.api;
  assert.equal((await api.call('POST', 'sys/auth/userpass', { type: 'userpass' })).status, 204);
  const auths = await api.call('GET', 'sys/auth');
  accessor = auths.json.data['userpass/'].accessor;
  const policy = await api.call('PUT', 'sys/policies/acl/reader', { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' });
  assert.equal(policy.status, 204);
});

after(async () => { await dev?.close(); });

test('create, read and list users; password hash never returned', async () => {
  const created = await api.call('POST', 'auth/userpass/users/alice', { password: 'correct horse', token_policies: 'reader', token_ttl: '1h' });
  assert.equal(created.status, 204);
  const read = await api.call('GET', 'auth/userpass/users/alice');
  assert.equal(read.status, 200);
  assert.deepEqual(read.json.data.token_policies, ['reader']);
  assert.equal(read.json.data.token_ttl, 3600);
  assert.equal(read.json.data.token_type, 'default');
  assert.equal(read.text.includes('scrypt'), false);
  const list = await api.call('LIST', 'auth/userpass/users');
  assert.deepEqual(list.json.data.keys, ['alice']);
  const missing = await api.call('POST', 'auth/userpass/users/nopass', {});
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.json.errors, ['missing password']);
});

test('login returns the auth block with entity_id; lookup shows it; ACL applies', async () => {
  const login = await apiClient(api.url).call('POST', 'auth/userpass/login/alice', { password: 'correct horse' });
  assert.equal(login.status, 200);
  const auth = login.json.auth;
  assert.deepEqual(auth.policies, ['default', 'reader']);
  assert.equal(auth.lease_duration, 3600);
  assert.deepEqual(auth.metadata, { username: 'alice' });
  assert.match(auth.entity_id, /^[0-9a-f-]{36}$/);
  const lookup = await apiClient(api.url, auth.client_token).call('GET', 'auth/token/lookup-self');
  assert.equal(lookup.json.data.entity_id, auth.entity_id);
  assert.equal(lookup.json.data.display_name, 'userpass-alice');
  const entity = await api.call('GET', `identity/entity/id/${auth.entity_id}`);
  assert.equal(entity.status, 200);
  assert.equal(entity.json.data.aliases[0].name, 'alice');
  assert.equal(entity.json.data.aliases[0].mount_accessor, accessor);
  assert.equal(entity.json.data.aliases[0].mount_type, 'userpass');
  // A second login reuses the entity.
  const again = await apiClient(api.url).call('POST', 'auth/userpass/login/alice', { password: 'correct horse' });
  assert.equal(again.json.auth.entity_id, auth.entity_id);
  // Identity group policies add to the token's ACL.
  const user = apiClient(api.url, auth.client_token);
  assert.equal((await user.call('GET', 'sys/policies/acl/reader')).status, 403);
  await api.call('PUT', 'sys/policies/acl/policy-reader', { policy: 'path "sys/policies/acl/*" { capabilities = ["read"] }' });
  const group = await api.call('POST', 'identity/group', { name: 'admins', policies: 'policy-reader', member_entity_ids: [auth.entity_id] });
  assert.equal(group.status, 200);
  assert.equal((await user.call('GET', 'sys/policies/acl/reader')).status, 200);
  const read = await api.call('GET', `identity/entity/id/${auth.entity_id}`);
  assert.deepEqual(read.json.data.direct_group_ids, [group.json.data.id]);
  const byAlias = await api.call('POST', 'identity/lookup/entity', { alias_name: 'alice', alias_mount_accessor: accessor });
  assert.equal(byAlias.json.data.id, auth.entity_id);
  await api.call('DELETE', `identity/group/id/${group.json.data.id}`);
  assert.equal((await user.call('GET', 'sys/policies/acl/reader')).status, 403);
});

test('wrong password and unknown user: 400 "invalid username or password", no token minted', async () => {
  const before = await accessorCount();
  const anon = apiClient(api.url);
  const wrong = await anon.call('POST', 'auth/userpass/login/alice', { password: 'nope' });
  assert.equal(wrong.status, 400);
  assert.deepEqual(wrong.json.errors, ['invalid username or password']);
  const unknown = await anon.call('POST', 'auth/userpass/login/mallory', { password: 'nope' });
  assert.equal(unknown.status, 400);
  assert.deepEqual(unknown.json.errors, ['invalid username or password']);
  assert.equal(await accessorCount(), before);
  await anon.call('POST', 'auth/userpass/login/alice', { password: 'correct horse' }); // clears the counter
});

test('lockout counts failures on the canonical name (case and spaces cannot bypass it); unlock', async () => {
  await api.call('POST', 'auth/userpass/users/bob', { password: 'bob-password' });
  const anon = apiClient(api.url);
  const variants = ['bob', 'BOB', ' bob', 'Bob ', 'bOb'];
  for (const name of variants) {
    const res = await anon.call('POST', `auth/userpass/login/${encodeURIComponent(name)}`, { password: 'wrong' });
    assert.equal(res.status, 400, name);
  }
  // Five failures (Vault's default threshold) under five spellings: the user is locked.
  const locked = await anon.call('POST', 'auth/userpass/login/BOB', { password: 'bob-password' });
  assert.equal(locked.status, 403);
  const lockedPlain = await anon.call('POST', 'auth/userpass/login/bob', { password: 'bob-password' });
  assert.equal(lockedPlain.status, 403);
  const list = await api.call('GET', 'sys/locked-users');
  assert.equal(list.status, 200);
  assert.equal(list.json.data.total, 1);
  assert.deepEqual(list.json.data.by_namespace[0].mount_accessors, [{ mount_accessor: accessor, counts: 1, alias_identifiers: ['bob'] }]);
  const unlock = await api.call('POST', `sys/locked-users/${accessor}/unlock/bob`);
  assert.equal(unlock.status, 204);
  assert.equal((await api.call('GET', 'sys/locked-users')).json.data.total, 0);
  const ok = await anon.call('POST', 'auth/userpass/login/Bob', { password: 'bob-password' });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json.auth.metadata, { username: 'bob' });
});

test('token_bound_cidrs outside the caller address: 403 and no token', async () => {
  await api.call('POST', 'auth/userpass/users/carol', { password: 'carol-pw', token_bound_cidrs: '10.0.0.0/8' });
  const before = await accessorCount();
  const res = await apiClient(api.url).call('POST', 'auth/userpass/login/carol', { password: 'carol-pw' });
  assert.equal(res.status, 403);
  assert.equal(await accessorCount(), before);
  await api.call('POST', 'auth/userpass/users/carol', { token_bound_cidrs: '127.0.0.0/8' });
  const ok = await apiClient(api.url).call('POST', 'auth/userpass/login/carol', { password: 'carol-pw' });
  assert.equal(ok.status, 200);
});

test('password and policy updates; batch token type', async () => {
  await api.call('POST', 'auth/userpass/users/dave', { password: 'old-pw' });
  assert.equal((await api.call('POST', 'auth/userpass/users/dave/password', { password: 'new-pw' })).status, 204);
  const anon = apiClient(api.url);
  assert.equal((await anon.call('POST', 'auth/userpass/login/dave', { password: 'old-pw' })).status, 400);
  assert.equal((await api.call('POST', 'auth/userpass/users/dave/policies', { token_policies: ['reader', 'extra'] })).status, 204);
  await api.call('POST', 'auth/userpass/users/dave', { token_type: 'batch' });
  const login = await anon.call('POST', 'auth/userpass/login/dave', { password: 'new-pw' });
  assert.equal(login.status, 200);
  assert.deepEqual(login.json.auth.policies, ['default', 'extra', 'reader']);
  assert.equal(login.json.auth.token_type, 'batch');
  const bad = await api.call('POST', 'auth/userpass/users/dave', { token_num_uses: 3 });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.errors, ["'token_type' cannot be 'batch' or 'default_batch' when set to generate tokens with limited use count"]);
  assert.equal((await api.call('DELETE', 'auth/userpass/users/dave')).status, 204);
  assert.equal((await api.call('GET', 'auth/userpass/users/dave')).status, 404);
});

test('mount tune user_lockout_config sets the threshold; kv mounts refuse it', async () => {
  assert.equal((await api.call('POST', 'sys/auth/up2', { type: 'userpass' })).status, 204);
  const tune = await api.call('POST', 'sys/auth/up2/tune', { user_lockout_config: { lockout_threshold: 2, lockout_duration: '10m' } });
  assert.equal(tune.status, 204);
  const read = await api.call('GET', 'sys/auth/up2/tune');
  assert.equal(read.json.data.user_lockout_threshold, 2);
  assert.equal(read.json.data.user_lockout_duration, 600);
  await api.call('POST', 'auth/up2/users/frank', { password: 'frank-pw' });
  const anon = apiClient(api.url);
  assert.equal((await anon.call('POST', 'auth/up2/login/frank', { password: 'x' })).status, 400);
  assert.equal((await anon.call('POST', 'auth/up2/login/frank', { password: 'x' })).status, 400);
  assert.equal((await anon.call('POST', 'auth/up2/login/frank', { password: 'frank-pw' })).status, 403);
  const refused = await api.call('POST', 'sys/mounts/secret/tune', { user_lockout_config: { lockout_threshold: 2 } });
  assert.equal(refused.status, 400);
});

test('renewal re-checks the user: refused once the user is deleted or its policies changed', async () => {
  await api.call('POST', 'auth/userpass/users/gina', { password: 'gina-pw', token_policies: 'reader' });
  const anon = apiClient(api.url);
  const first = await anon.call('POST', 'auth/userpass/login/gina', { password: 'gina-pw' });
  const token = apiClient(api.url, first.json.auth.client_token);
  assert.equal((await token.call('POST', 'auth/token/renew-self', { increment: '10m' })).status, 200);
  await api.call('POST', 'auth/userpass/users/gina/policies', { token_policies: 'reader,more' });
  const changed = await token.call('POST', 'auth/token/renew-self');
  assert.equal(changed.status, 400);
  assert.deepEqual(changed.json.errors, ['policies have changed, not renewing']);
  const second = await anon.call('POST', 'auth/userpass/login/gina', { password: 'gina-pw' });
  await api.call('DELETE', 'auth/userpass/users/gina');
  const gone = await api.call('POST', 'auth/token/renew-accessor', { accessor: second.json.auth.accessor });
  assert.equal(gone.status, 400);
  assert.deepEqual(gone.json.errors, ['user no longer exists, not renewing']);
});
