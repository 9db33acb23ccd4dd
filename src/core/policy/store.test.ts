import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ArcaError, InvalidRequest } from '../../errors.js';
import { createInmemStorage } from '../../storage/inmem.js';
import { DEFAULT_POLICY_TEXT, RESPONSE_WRAPPING_POLICY_TEXT, ROOT_POLICY } from './builtin.js';
import { createPolicyStore, decodePolicyEntry, encodePolicyEntry } from './store.js';

const READ_SECRET = 'path "secret/*" { capabilities = ["read"] }';

async function loadedStore() {
  const storage = createInmemStorage();
  const store = createPolicyStore({ storage });
  await store.load();
  return { storage, store };
}

async function rejectsInvalid(promise: Promise<unknown>, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof InvalidRequest, `expected InvalidRequest, got ${String(err)}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe('policy store: built-ins', () => {
  it('writes default and response-wrapping on first load, never root', async () => {
    const { storage, store } = await loadedStore();
    assert.deepEqual(await storage.list(''), ['default', 'response-wrapping']);
    assert.equal((await store.get('default'))?.raw, DEFAULT_POLICY_TEXT);
    assert.equal((await store.get('response-wrapping'))?.raw, RESPONSE_WRAPPING_POLICY_TEXT);
    assert.equal(await store.get('root'), ROOT_POLICY);
    assert.equal(await store.get(' ROOT '), ROOT_POLICY);
  });

  it('keeps an edited default but resets a tampered response-wrapping policy', async () => {
    const { storage, store } = await loadedStore();
    await store.set('default', READ_SECRET);
    const tampered = createPolicyStore({ storage });
    await storage.put('response-wrapping', encodePolicyEntry({ ...ROOT_POLICY, name: 'response-wrapping', raw: READ_SECRET }));
    await tampered.load();
    assert.equal((await tampered.get('default'))?.raw, READ_SECRET);
    assert.equal((await tampered.get('response-wrapping'))?.raw, RESPONSE_WRAPPING_POLICY_TEXT);
  });

  it('lists stored assignable policies sorted, hiding response-wrapping and root', async () => {
    const { store } = await loadedStore();
    await store.set('zeta', READ_SECRET);
    await store.set('Alpha', READ_SECRET);
    assert.deepEqual(await store.list(), ['alpha', 'default', 'zeta']);
  });
});

describe('policy store: writes', () => {
  it('normalises names on set, get and delete', async () => {
    const { storage, store } = await loadedStore();
    const policy = await store.set('  MyPolicy ', READ_SECRET);
    assert.equal(policy.name, 'mypolicy');
    assert.ok(await storage.get('mypolicy'));
    assert.equal((await store.get('MYPOLICY'))?.raw, READ_SECRET);
    await store.delete(' mypolicy');
    assert.equal(await store.get('mypolicy'), undefined);
    assert.equal(await storage.get('mypolicy'), undefined);
  });

  it('stores versioned JSON with the raw text (base64 decoded)', async () => {
    const { storage, store } = await loadedStore();
    await store.set('b64', Buffer.from(READ_SECRET).toString('base64'));
    const bytes = await storage.get('b64');
    assert.deepEqual(JSON.parse(bytes!.toString('utf8')), {
      v: 1, type: 'acl', name: 'b64', raw: READ_SECRET, templated: false,
    });
  });

  it('reads a policy back from storage after reload (golden entry)', async () => {
    const storage = createInmemStorage();
    await storage.put('golden', Buffer.from('{"v":1,"type":"acl","name":"golden","raw":"path \\"kv/*\\" { capabilities = [\\"list\\"] }","templated":false}'));
    const store = createPolicyStore({ storage });
    await store.load();
    const policy = await store.get('golden');
    assert.equal(policy?.paths[0].path, 'kv/*');
    assert.deepEqual(policy?.paths[0].capabilities, ['list']);
  });

  it('refuses root and response-wrapping in every spelling, checked on the normalised name', async () => {
    const { store } = await loadedStore();
    for (const name of ['root', ' Root', 'ROOT', 'root ']) {
      await rejectsInvalid(store.set(name, READ_SECRET), 'cannot update "root" policy');
      await rejectsInvalid(store.delete(name), 'cannot delete "root" policy');
    }
    await rejectsInvalid(store.set('Response-Wrapping', READ_SECRET), 'cannot update "response-wrapping" policy');
    await rejectsInvalid(store.delete('response-wrapping'), 'cannot delete "response-wrapping" policy');
    await rejectsInvalid(store.delete(' DEFAULT'), 'cannot delete default policy');
    assert.ok(await store.get('default'));
  });

  it('refuses empty names, slashes and invalid policies without writing', async () => {
    const { storage, store } = await loadedStore();
    await rejectsInvalid(store.set('   ', READ_SECRET), 'policy name missing');
    await rejectsInvalid(store.set('a/b', READ_SECRET), 'policy name must not contain "/"');
    await rejectsInvalid(store.set('bad', 'path "x" { capabilities = ["fly"] }'), /^failed to parse policy: /);
    assert.deepEqual(await storage.list(''), ['default', 'response-wrapping']);
  });

  it('deleting a missing policy is a no-op', async () => {
    const { store } = await loadedStore();
    await store.delete('never-written');
    assert.equal(await store.get('never-written'), undefined);
  });

  it('notifies listeners on set and delete', async () => {
    const { store } = await loadedStore();
    const seen: string[] = [];
    const stop = store.onChange((name) => seen.push(name));
    await store.set('Watched', READ_SECRET);
    await store.delete('watched');
    stop();
    await store.set('quiet', READ_SECRET);
    assert.deepEqual(seen, ['watched', 'watched']);
  });
});

describe('policy entry codec', () => {
  it('rejects unknown versions and malformed entries', () => {
    assert.throws(() => decodePolicyEntry(Buffer.from('{"v":2,"type":"acl","name":"x","raw":""}')),
      (err: unknown) => err instanceof ArcaError && err.message === 'stored policy entry has an unsupported version');
    assert.throws(() => decodePolicyEntry(Buffer.from('{"v":1,"type":"acl","name":"x"}')),
      (err: unknown) => err instanceof ArcaError && err.message === 'stored policy entry is malformed');
    assert.throws(() => decodePolicyEntry(Buffer.from('not json')),
      (err: unknown) => err instanceof ArcaError && err.message === 'stored policy entry is not valid JSON');
  });
});
