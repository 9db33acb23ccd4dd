/**
 * The identity store over HTTP: entities, aliases, groups, lookups; disabled entities; and the
 * alias-merge regression (an alias cannot be moved onto another entity without update
 * permission on both entities).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer, apiClient, type DevServer, type Api } from './support/server.js';

let dev: DevServer;
let api: Api;
let accessor: string;

before(async () => {
  dev = await startDevServer();
  api = dev.api;
  await api.call('POST', 'sys/auth/userpass', { type: 'userpass' });
  accessor = (await api.call('GET', 'sys/auth')).json.data['userpass/'].accessor;
});

after(async () => { await dev?.close(); });

test('entities by id and name, aliases, lists and lookups', async () => {
  const created = await api.call('POST', 'identity/entity', { name: 'svc-a', policies: 'p1', metadata: { team: 'core' } });
  assert.equal(created.status, 200);
  const id = created.json.data.id;
  assert.equal(created.json.data.name, 'svc-a');
  const byName = await api.call('GET', 'identity/entity/name/svc-a');
  assert.equal(byName.json.data.id, id);
  assert.deepEqual(byName.json.data.metadata, { team: 'core' });
  assert.deepEqual(byName.json.data.policies, ['p1']);
  const alias = await api.call('POST', 'identity/entity-alias', { name: 'svc-a-login', mount_accessor: accessor, canonical_id: id });
  assert.equal(alias.status, 200);
  assert.equal(alias.json.data.canonical_id, id);
  const second = await api.call('POST', 'identity/entity-alias', { name: 'other', mount_accessor: accessor, canonical_id: id });
  assert.equal(second.status, 400);
  assert.deepEqual(second.json.errors, ['Alias already exists for requested entity and mount accessor']);
  const badMount = await api.call('POST', 'identity/entity-alias', { name: 'x', mount_accessor: 'auth_nope_1', canonical_id: id });
  assert.equal(badMount.status, 400);
  const list = await api.call('LIST', 'identity/entity/id');
  assert.deepEqual(list.json.data.keys, [id]);
  assert.equal(list.json.data.key_info[id].name, 'svc-a');
  assert.deepEqual((await api.call('LIST', 'identity/entity/name')).json.data.keys, ['svc-a']);
  const aliasRead = await api.call('GET', `identity/entity-alias/id/${alias.json.data.id}`);
  assert.equal(aliasRead.json.data.mount_path, 'auth/userpass/');
  const lookup = await api.call('POST', 'identity/lookup/entity', { alias_id: alias.json.data.id });
  assert.equal(lookup.json.data.name, 'svc-a');
  const none = await api.call('POST', 'identity/lookup/entity', { name: 'nobody' });
  assert.equal(none.status, 204);
  const two = await api.call('POST', 'identity/lookup/entity', { name: 'svc-a', id });
  assert.equal(two.status, 400);
  assert.equal((await api.call('GET', 'identity/entity/id/not-there')).status, 404);
});

test('groups: nested membership, lookup/group, group aliases on external groups', async () => {
  const e = await api.call('POST', 'identity/entity', { name: 'member' });
  const child = await api.call('POST', 'identity/group', { name: 'child', member_entity_ids: e.json.data.id, policies: 'c' });
  const parent = await api.call('POST', 'identity/group', { name: 'parent', member_group_ids: child.json.data.id, policies: 'p' });
  const entity = await api.call('GET', `identity/entity/id/${e.json.data.id}`);
  assert.deepEqual(entity.json.data.direct_group_ids, [child.json.data.id]);
  assert.deepEqual(entity.json.data.inherited_group_ids, [parent.json.data.id]);
  const childRead = await api.call('GET', 'identity/group/name/child');
  assert.deepEqual(childRead.json.data.parent_group_ids, [parent.json.data.id]);
  assert.equal(childRead.json.data.type, 'internal');
  const lookup = await api.call('POST', 'identity/lookup/group', { name: 'parent' });
  assert.equal(lookup.json.data.id, parent.json.data.id);
  const internalAlias = await api.call('POST', 'identity/group-alias', { name: 'devs', mount_accessor: accessor, canonical_id: child.json.data.id });
  assert.equal(internalAlias.status, 400);
  const ext = await api.call('POST', 'identity/group', { name: 'ext', type: 'external', policies: 'e' });
  const ga = await api.call('POST', 'identity/group-alias', { name: 'devs', mount_accessor: accessor, canonical_id: ext.json.data.id });
  assert.equal(ga.status, 200);
  const extRead = await api.call('GET', `identity/group/id/${ext.json.data.id}`);
  assert.equal(extRead.json.data.alias.name, 'devs');
  assert.deepEqual((await api.call('LIST', 'identity/group/name')).json.data.keys, ['child', 'ext', 'parent']);
});

test('a disabled entity cannot log in', async () => {
  await api.call('POST', 'auth/userpass/users/erin', { password: 'erin-pw' });
  const anon = apiClient(api.url);
  const first = await anon.call('POST', 'auth/userpass/login/erin', { password: 'erin-pw' });
  assert.equal(first.status, 200);
  const entityId = first.json.auth.entity_id;
  await api.call('POST', `identity/entity/id/${entityId}`, { disabled: true });
  const refused = await anon.call('POST', 'auth/userpass/login/erin', { password: 'erin-pw' });
  assert.equal(refused.status, 403);
  const token = apiClient(api.url, first.json.auth.client_token);
  assert.equal((await token.call('GET', 'sys/policies/acl/default')).status, 403);
  await api.call('POST', `identity/entity/id/${entityId}`, { disabled: false });
  assert.equal((await anon.call('POST', 'auth/userpass/login/erin', { password: 'erin-pw' })).status, 200);
});

test('alias-merge regression: moving an alias onto another entity needs update on both entities', async () => {
  // The attacker may edit its own entity and aliases, but not the victim's entity.
  const victim = await api.call('POST', 'identity/entity', { name: 'victim', policies: 'admin' });
  const attacker = await api.call('POST', 'identity/entity', { name: 'attacker' });
  const victimId = victim.json.data.id;
  const attackerId = attacker.json.data.id;
  await api.call('POST', 'auth/userpass/users/mallory', { password: 'mallory-pw' });
  const alias = await api.call('POST', 'identity/entity-alias', { name: 'mallory', mount_accessor: accessor, canonical_id: attackerId });
  const aliasId = alias.json.data.id;
  const policy = [
    `path "identity/entity-alias" { capabilities = ["update"] }`,
    `path "identity/entity-alias/id/${aliasId}" { capabilities = ["read", "update"] }`,
    `path "identity/entity/id/${attackerId}" { capabilities = ["read", "update"] }`,
  ].join('\n');
  await api.call('PUT', 'sys/policies/acl/self-service', { policy });
  const token = (await api.call('POST', 'auth/token/create', { policies: 'self-service' })).json.auth.client_token;
  const attackerApi = apiClient(api.url, token);
  for (const path of ['identity/entity-alias', `identity/entity-alias/id/${aliasId}`]) {
    const res = await attackerApi.call('POST', path, { id: aliasId, canonical_id: victimId });
    assert.equal(res.status, 403, path);
  }
  const still = await api.call('GET', `identity/entity-alias/id/${aliasId}`);
  assert.equal(still.json.data.canonical_id, attackerId);
  // A login through that alias still lands on the attacker's entity, without the victim's policies.
  const login = await apiClient(api.url).call('POST', 'auth/userpass/login/mallory', { password: 'mallory-pw' });
  assert.equal(login.json.auth.entity_id, attackerId);
  // With update on both entities (here: root) the move is allowed.
  const moved = await api.call('POST', `identity/entity-alias/id/${aliasId}`, { canonical_id: victimId });
  assert.equal(moved.status, 200);
  assert.equal(moved.json.data.canonical_id, victimId);
  // The target already having an alias on the mount refuses the move.
  const other = await api.call('POST', 'identity/entity-alias', { name: 'mallory2', mount_accessor: accessor, canonical_id: attackerId });
  const clash = await api.call('POST', `identity/entity-alias/id/${other.json.data.id}`, { canonical_id: victimId });
  assert.equal(clash.status, 400);
  assert.deepEqual(clash.json.errors, ['Alias cannot be updated as the given entity already has an alias for this mount ']);
});

test('deleting an entity deletes its aliases and its group memberships', async () => {
  const e = await api.call('POST', 'identity/entity', { name: 'temp' });
  const a = await api.call('POST', 'identity/entity-alias', { name: 'temp-login', mount_accessor: accessor, canonical_id: e.json.data.id });
  const g = await api.call('POST', 'identity/group', { name: 'temps', member_entity_ids: e.json.data.id });
  assert.equal((await api.call('DELETE', 'identity/entity/name/temp')).status, 204);
  assert.equal((await api.call('GET', `identity/entity-alias/id/${a.json.data.id}`)).status, 404);
  assert.deepEqual((await api.call('GET', `identity/group/id/${g.json.data.id}`)).json.data.member_entity_ids, []);
});
