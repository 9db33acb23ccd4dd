import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInmemStorage } from '../../storage/inmem.js';
import { createAclProvider, policySetKey } from './acl-cache.js';
import { createPolicyStore } from './store.js';

async function setup() {
  const store = createPolicyStore({ storage: createInmemStorage() });
  await store.load();
  const provider = createAclProvider(store);
  return { store, provider };
}

describe('ACL provider', () => {
  it('compiles once per distinct sorted, normalised policy set', async () => {
    const { store, provider } = await setup();
    await store.set('a', 'path "a/*" { capabilities = ["read"] }');
    await store.set('b', 'path "b/*" { capabilities = ["read"] }');
    const first = await provider.aclFor(['a', 'b']);
    assert.equal(await provider.aclFor(['B', ' a', 'a']), first);
    assert.notEqual(await provider.aclFor(['a']), first);
    assert.deepEqual(first.capabilities('a/x'), ['read']);
    assert.deepEqual(first.capabilities('b/x'), ['read']);
    assert.deepEqual(policySetKey(['b', 'A ', 'a', '']), ['a', 'b']);
  });

  it('recompiles after a policy write or delete', async () => {
    const { store, provider } = await setup();
    await store.set('p', 'path "a/*" { capabilities = ["read"] }');
    const before = await provider.aclFor(['p']);
    assert.deepEqual(before.capabilities('a/x'), ['read']);

    await store.set('p', 'path "a/*" { capabilities = ["read", "update"] }');
    const afterWrite = await provider.aclFor(['p']);
    assert.notEqual(afterWrite, before);
    assert.deepEqual(afterWrite.capabilities('a/x'), ['read', 'update']);

    await store.delete('p');
    assert.deepEqual((await provider.aclFor(['p'])).capabilities('a/x'), ['deny']);
  });

  it('an unrelated policy write also invalidates (any change)', async () => {
    const { store, provider } = await setup();
    await store.set('p', 'path "a/*" { capabilities = ["read"] }');
    const before = await provider.aclFor(['p']);
    await store.set('other', 'path "z" { capabilities = ["read"] }');
    assert.notEqual(await provider.aclFor(['p']), before);
  });

  it('ignores missing policies', async () => {
    const { store, provider } = await setup();
    await store.set('p', 'path "a/*" { capabilities = ["read"] }');
    const acl = await provider.aclFor(['p', 'does-not-exist']);
    assert.deepEqual(acl.capabilities('a/x'), ['read']);
    assert.deepEqual((await provider.aclFor(['does-not-exist'])).capabilities('a/x'), ['deny']);
    assert.deepEqual((await provider.aclFor([])).capabilities('a/x'), ['deny']);
  });

  it('root only for exactly ["root"]; alongside others root is dropped', async () => {
    const { store, provider } = await setup();
    const root = await provider.aclFor(['root']);
    assert.equal(root.isRoot, true);
    assert.deepEqual(root.capabilities('anything'), ['root']);
    assert.equal((await provider.aclFor([' Root '])).isRoot, true);

    await store.set('p', 'path "a/*" { capabilities = ["read"] }');
    const mixed = await provider.aclFor(['root', 'p']);
    assert.equal(mixed.isRoot, false);
    assert.deepEqual(mixed.capabilities('a/x'), ['read']);
    assert.deepEqual(mixed.capabilities('sys/seal'), ['deny']);
  });

  it('a deny in one policy beats an allow in another on the same path', async () => {
    const { store, provider } = await setup();
    await store.set('allow', 'path "s/x" { capabilities = ["read", "update"] }');
    await store.set('deny', 'path "s/x" { capabilities = ["deny"] }');
    const acl = await provider.aclFor(['allow', 'deny']);
    assert.equal(acl.allowOperation({ path: 's/x', operation: 'read' }).allowed, false);
    assert.deepEqual(acl.capabilities('s/x'), ['deny']);
  });

  it('the default policy grants capabilities-self', async () => {
    const { provider } = await setup();
    const acl = await provider.aclFor(['default']);
    assert.deepEqual(acl.capabilities('sys/capabilities-self'), ['update']);
  });

  it('answers from its cache without waiting once a policy list has been compiled, until a policy changes', async () => {
    const { store, provider } = await setup();
    await store.set('a', 'path "a/*" { capabilities = ["read"] }');
    assert.equal(provider.cachedAclFor(['a', 'default']), undefined);
    const acl = await provider.aclFor(['a', 'default']);
    assert.equal(provider.cachedAclFor(['a', 'default']), acl);
    // Another spelling of the same set is looked up through the normalised set the first time.
    assert.equal(provider.cachedAclFor(['default', 'A']), undefined);
    assert.equal(await provider.aclFor(['default', 'A']), acl);
    assert.equal(provider.cachedAclFor(['default', 'A']), acl);
    // A name containing the separator of a joined key is not mistaken for two names.
    assert.equal(provider.cachedAclFor(['a\ndefault']), undefined);

    await store.set('a', 'path "a/*" { capabilities = ["update"] }');
    assert.equal(provider.cachedAclFor(['a', 'default']), undefined);
    const changed = await provider.aclFor(['a', 'default']);
    assert.deepEqual(changed.capabilities('a/x'), ['update']);
    assert.equal(provider.cachedAclFor(['a', 'default']), changed);
  });

  it('does not keep an ACL whose compilation a policy change overtook', async () => {
    const { store, provider } = await setup();
    await store.set('a', 'path "a/*" { capabilities = ["read"] }');
    const pending = provider.aclFor(['a']);
    await store.set('a', 'path "a/*" { capabilities = ["update"] }');
    await pending;
    assert.equal(provider.cachedAclFor(['a']), undefined);
    assert.deepEqual((await provider.aclFor(['a'])).capabilities('a/x'), ['update']);
  });
});
