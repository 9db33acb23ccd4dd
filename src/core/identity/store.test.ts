import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest, PermissionDenied } from '../../errors.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { createIdentityStore } from './store.js';

function memoryStorage(): BarrierStorage & { data: Map<string, Buffer> } {
  const data = new Map<string, Buffer>();
  return {
    data,
    async get(k) { return data.get(k); },
    async put(k, v) { data.set(k, Buffer.from(v)); },
    async delete(k) { data.delete(k); },
    async list(prefix) {
      const out = new Set<string>();
      for (const k of data.keys()) if (k.startsWith(prefix)) { const rest = k.slice(prefix.length); const i = rest.indexOf('/'); out.add(i === -1 ? rest : rest.slice(0, i + 1)); }
      return [...out].sort();
    },
  };
}

const auth = (name: string, groupAliases?: string[]) => ({ policies: [], displayName: name, metadata: {}, alias: { name }, groupAliases });

test('first login creates one entity and alias per (mount, name); later logins reuse it', async () => {
  const store = createIdentityStore({ storage: memoryStorage() });
  const a = await store.entityForLogin('auth_userpass_1', auth('alice'));
  assert.equal(await store.entityForLogin('auth_userpass_1', auth('alice')), a);
  const other = await store.entityForLogin('auth_ldap_2', auth('alice'));
  assert.notEqual(other, a);
  assert.equal((await store.listEntities()).length, 2);
  assert.equal(await store.entityForLogin('auth_userpass_1', { policies: [], displayName: '', metadata: {} }), undefined);
});

test('identity policies: entity + direct + inherited groups, never root; disabled entities refused', async () => {
  const store = createIdentityStore({ storage: memoryStorage() });
  const id = (await store.entityForLogin('acc', auth('bob')))!;
  await store.upsertEntity({ id, policies: ['own', 'root'] });
  const child = (await store.upsertGroup({ name: 'child', policies: ['c'], memberEntityIds: [id] })).group;
  await store.upsertGroup({ name: 'parent', policies: ['p'], memberGroupIds: [child.id] });
  assert.deepEqual((await store.policiesFor(id)).sort(), ['c', 'own', 'p']);
  assert.deepEqual(await store.policiesFor(''), []);
  await store.upsertEntity({ id, disabled: true });
  await assert.rejects(store.policiesFor(id), PermissionDenied);
  await assert.rejects(store.entityForLogin('acc', auth('bob')), PermissionDenied);
});

test('external group membership follows the login group aliases', async () => {
  const store = createIdentityStore({ storage: memoryStorage() });
  const ext = (await store.upsertGroup({ name: 'ext', type: 'external', policies: ['e'] })).group;
  await store.upsertGroupAlias({ name: 'devs', mountAccessor: 'acc', canonicalId: ext.id });
  const id = (await store.entityForLogin('acc', auth('carol', ['devs'])))!;
  assert.deepEqual(await store.policiesFor(id), ['e']);
  await store.entityForLogin('acc', auth('carol', []));
  assert.deepEqual(await store.policiesFor(id), []);
  await assert.rejects(store.upsertGroup({ id: ext.id, memberEntityIds: [id] }), InvalidRequest);
});

test('alias rules: one alias per mount on an entity; moves refused onto an entity that has one', async () => {
  const store = createIdentityStore({ storage: memoryStorage() });
  const e1 = (await store.upsertEntity({ name: 'one' })).entity;
  const e2 = (await store.upsertEntity({ name: 'two' })).entity;
  const a1 = await store.createAlias({ name: 'x', mountAccessor: 'acc', canonicalId: e1.id });
  await store.createAlias({ name: 'y', mountAccessor: 'acc', canonicalId: e2.id });
  await assert.rejects(store.createAlias({ name: 'z', mountAccessor: 'acc', canonicalId: e1.id }), /Alias already exists/);
  await assert.rejects(store.updateAlias(a1.id, { canonicalId: e2.id }), /already has an alias for this mount/);
  await assert.rejects(store.createAlias({ name: 'x', mountAccessor: 'acc' }), /already exists/);
  await assert.rejects(store.upsertEntity({ name: 'two', id: e1.id }), /already in use/);
});

test('everything survives an unload (seal) and reload from storage', async () => {
  const storage = memoryStorage();
  const store = createIdentityStore({ storage });
  const id = (await store.entityForLogin('acc', auth('dave')))!;
  await store.upsertGroup({ name: 'g', policies: ['gp'], memberEntityIds: [id] });
  store.unload();
  assert.equal(await store.entityForLogin('acc', auth('dave')), id);
  assert.deepEqual(await store.policiesFor(id), ['gp']);
  const stored = JSON.parse(storage.data.get(`entity/${id}`)!.toString('utf8'));
  assert.equal(stored.v, 1);
  await store.deleteEntity(id);
  assert.equal(await store.aliasByFactors('acc', 'dave'), undefined);
  assert.deepEqual((await store.groupByName('g'))!.member_entity_ids, []);
});
