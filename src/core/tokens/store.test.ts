import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInmemStorage } from '../../storage/inmem.js';
import { createTokenStore, type CreateTokenParams } from './store.js';
import type { TokenEntry } from './entry.js';

async function setup() {
  const storage = createInmemStorage();
  const clock = { now: 1_700_000_000 };
  const revoked: string[] = [];
  const tokens = createTokenStore({ storage, now: () => clock.now, onRevoke: async (e: TokenEntry) => { revoked.push(e.hashedId); } });
  await tokens.load();
  const make = (over: Partial<CreateTokenParams> = {}) => tokens.create({
    parent: '', policies: ['default'], path: 'auth/token/create', displayName: 'token', ttl: 3600, renewable: true, ...over,
  });
  return { storage, clock, tokens, make, revoked };
}

test('revoking a parent revokes the whole subtree; siblings elsewhere survive', async () => {
  const { tokens, make, revoked } = await setup();
  const root = await make();
  const child = await make({ parent: root.entry.hashedId });
  const grandchild = await make({ parent: child.entry.hashedId });
  const other = await make();
  await tokens.revokeTree(root.entry);
  for (const t of [root, child, grandchild]) assert.equal(await tokens.lookup(t.id), undefined);
  assert.equal(await tokens.lookupByAccessor(grandchild.entry.accessor), undefined);
  assert.ok(await tokens.lookup(other.id));
  assert.deepEqual(new Set(revoked), new Set([root.entry.hashedId, child.entry.hashedId, grandchild.entry.hashedId]));
});

test('orphan revocation keeps children alive as orphans', async () => {
  const { tokens, make } = await setup();
  const parent = await make();
  const child = await make({ parent: parent.entry.hashedId });
  const grandchild = await make({ parent: child.entry.hashedId });
  await tokens.revokeOrphan(parent.entry);
  assert.equal(await tokens.lookup(parent.id), undefined);
  const orphan = await tokens.lookup(child.id);
  assert.equal(orphan?.parent, '');
  assert.equal((await tokens.lookup(grandchild.id))?.parent, child.entry.hashedId);
  // The orphan is no longer in any parent's index: revoking it later does not touch others.
  await tokens.revokeTree(orphan!);
  assert.equal(await tokens.lookup(grandchild.id), undefined);
});

test('a 2-use token is good for two uses and then gone', async () => {
  const { tokens, make } = await setup();
  const t = await make({ numUses: 2 });
  const first = (await tokens.lookup(t.id))!;
  assert.equal(await tokens.use(first), false);
  const second = (await tokens.lookup(t.id))!;
  assert.equal(second.numUses, 1);
  assert.equal(await tokens.use(second), true);
  assert.equal(await tokens.lookup(t.id), undefined);
});

test('expired tokens are not returned and are revoked on sight', async () => {
  const { tokens, make, clock } = await setup();
  const t = await make({ ttl: 10 });
  clock.now += 9;
  assert.ok(await tokens.lookup(t.id));
  clock.now += 1;
  assert.equal(await tokens.lookup(t.id), undefined);
  assert.equal(await tokens.lookupHashed(t.entry.hashedId), undefined);
});

test('bound CIDRs: lookup with a remote address outside them finds nothing', async () => {
  const { tokens, make } = await setup();
  const t = await make({ boundCidrs: ['10.0.0.0/8'] });
  assert.equal(await tokens.lookup(t.id, '127.0.0.1'), undefined);
  assert.ok(await tokens.lookup(t.id, '10.9.8.7'));
  assert.ok(await tokens.lookup(t.id)); // no address given: internal lookups still work
});

test('batch tokens: not persisted, looked up by decryption, bound to parent and TTL', async () => {
  const { tokens, make, storage, clock } = await setup();
  const parent = await make({ ttl: 100 });
  const keysBefore = await storage.list('id/');
  const batch = await tokens.create({
    parent: parent.entry.hashedId, policies: ['default'], path: 'auth/token/create', displayName: 'token',
    ttl: 50, renewable: true, type: 'batch', meta: { k: 'v' },
  });
  assert.ok(batch.id.startsWith('hvb.'));
  assert.deepEqual(await storage.list('id/'), keysBefore);
  const found = await tokens.lookup(batch.id);
  assert.equal(found?.type, 'batch');
  assert.equal(found?.renewable, false);
  assert.equal(found?.accessor, '');
  assert.deepEqual(found?.meta, { k: 'v' });
  assert.equal(await tokens.use(found!), false);
  await assert.rejects(() => tokens.update(found!), /batch/);
  clock.now += 50;
  assert.equal(await tokens.lookup(batch.id), undefined, 'expired batch token');
  clock.now -= 50;
  await tokens.revokeTree(parent.entry);
  assert.equal(await tokens.lookup(batch.id), undefined, 'parent revoked');
});

test('batch key survives a reload (unseal) and tokens keep working', async () => {
  const storage = createInmemStorage();
  const first = createTokenStore({ storage });
  await first.load();
  const batch = await first.create({ parent: '', policies: ['default'], path: 'p', displayName: 'd', ttl: 600, renewable: false, type: 'batch' });
  first.unload();
  const second = createTokenStore({ storage });
  await second.load();
  assert.equal((await second.lookup(batch.id))?.type, 'batch');
});

test('tokens are stored only under salted hashes: no storage key or value contains the token id', async () => {
  const { tokens, make, storage } = await setup();
  const parent = await make();
  const child = await make({ parent: parent.entry.hashedId });
  const custom = await make({ id: 'my-custom-token-id' });
  const everything: string[] = [];
  const walk = async (prefix: string): Promise<void> => {
    for (const key of await storage.list(prefix)) {
      if (key.endsWith('/')) await walk(prefix + key);
      else everything.push(prefix + key, (await storage.get(prefix + key))!.toString('latin1'));
    }
  };
  await walk('');
  assert.ok(everything.length > 0);
  for (const id of [parent.id, child.id, custom.id]) {
    assert.equal(everything.some((s) => s.includes(id)), false);
  }
  assert.ok(await tokens.lookup(custom.id));
});

test('tidy removes dangling accessors and parent indexes, orphaning survivors, and revokes expired tokens', async () => {
  const { tokens, make, storage, clock } = await setup();
  const parent = await make({ ttl: 1000 });
  const child = await make({ parent: parent.entry.hashedId, ttl: 1000 });
  const shortLived = await make({ ttl: 5 });
  // Simulate a crash mid-revocation: the parent's entry is gone, its indexes remain.
  await storage.delete(`id/${parent.entry.hashedId}`);
  clock.now += 10;
  const fresh = createTokenStore({ storage, now: () => clock.now });
  await fresh.load();
  const report = await fresh.tidy();
  assert.deepEqual(report, { danglingAccessors: 1, orphanedChildren: 1, danglingParentIndexes: 1, expiredTokens: 1 });
  assert.equal((await fresh.lookup(child.id))?.parent, '');
  assert.equal(await fresh.lookup(shortLived.id), undefined);
  assert.deepEqual(await storage.list('parent/'), []);
  assert.deepEqual(await fresh.tidy(), { danglingAccessors: 0, orphanedChildren: 0, danglingParentIndexes: 0, expiredTokens: 0 });
  void tokens;
});

test('cachedLookup answers only what lookup would, and only from the cache', async () => {
  const { tokens, make, clock } = await setup();
  const t = await make({ ttl: 10, numUses: 2, boundCidrs: ['10.0.0.0/8'] });
  assert.equal(tokens.cachedLookup(t.id, '10.1.2.3')?.hashedId, t.entry.hashedId);
  assert.equal(tokens.cachedLookup(t.id, '192.168.0.1'), undefined, 'outside the bound CIDRs');
  assert.equal(tokens.cachedLookup('hvs.unknown'), undefined);
  assert.equal(tokens.cachedLookup(''), undefined);
  // Used up: lookup refuses it, so does cachedLookup.
  await tokens.use(t.entry);
  await tokens.use((await tokens.lookup(t.id, '10.1.2.3'))!);
  assert.equal(await tokens.lookup(t.id, '10.1.2.3'), undefined);
  assert.equal(tokens.cachedLookup(t.id, '10.1.2.3'), undefined);
  // Expired: left to lookup, which revokes it.
  const short = await make({ ttl: 10 });
  assert.ok(tokens.cachedLookup(short.id));
  clock.now += 11;
  assert.equal(tokens.cachedLookup(short.id), undefined);
  // Another node changed it: not answered from the cache any more.
  const other = await make();
  tokens.forget(other.entry.hashedId);
  assert.equal(tokens.cachedLookup(other.id), undefined);
  assert.ok(await tokens.lookup(other.id));
  assert.ok(tokens.cachedLookup(other.id), 'cached again by the lookup');
  // Batch tokens are decrypted by lookup, never answered here.
  const batch = await make({ type: 'batch' });
  assert.ok(await tokens.lookup(batch.id));
  assert.equal(tokens.cachedLookup(batch.id), undefined);
});
