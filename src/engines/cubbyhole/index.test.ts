import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest, PermissionDenied } from '../../errors.js';
import type { CallerIdentity } from '../../framework/logical.js';
import { createWrappingCubbyhole } from '../../core/wrapping/cubbyhole.js';
import { createInmemStorage } from '../../storage/inmem.js';
import { driver, snapshot } from '../kv/testing.js';
import { createCubbyholeBackend, cubbyholePrefix, destroyCubbyhole } from './index.js';

function caller(tokenId: string): CallerIdentity {
  return {
    tokenAccessor: `acc-${tokenId}`, policies: ['default'], displayName: 'token', entityId: '', metadata: {},
    tokenId, clientToken: `hvs.${tokenId}`, tokenType: 'service', isRoot: false,
  };
}

function setup() {
  const storage = createInmemStorage();
  const backend = createCubbyholeBackend({ storage });
  return { storage, backend, alice: driver(backend, storage, caller('alice')), bob: driver(backend, storage, caller('bob')), anonymous: driver(backend, storage) };
}

test('each token sees only its own cubbyhole', async () => {
  const { storage, alice, bob } = setup();
  await alice.call('create', 'secret', { pin: '1234' });
  await alice.call('create', 'dir/x', { a: 1 });
  assert.deepEqual((await alice.call('read', 'secret')).data, { pin: '1234' });
  assert.equal((await alice.call('read', 'secret')).secret, undefined);
  assert.equal((await bob.call('read', 'secret')).data, undefined);
  assert.deepEqual((await bob.call('list', '')).data, { keys: [] });
  assert.deepEqual((await alice.call('list', '')).data, { keys: ['dir/', 'secret'] });
  assert.deepEqual((await alice.call('list', 'dir')).data, { keys: ['x'] });
  assert.deepEqual(await storage.list(''), ['alice/']);
});

test('no caller means permission denied, and nothing is written', async () => {
  const { storage, anonymous } = setup();
  await assert.rejects(anonymous.call('update', 'k', { a: 1 }), PermissionDenied);
  await assert.rejects(anonymous.call('read', 'k'), PermissionDenied);
  await assert.rejects(anonymous.call('list', ''), PermissionDenied);
  assert.equal(await anonymous.exists('k'), false);
  assert.deepEqual(await snapshot(storage), {});
});

test('write replaces, delete removes, empty writes are refused without change', async () => {
  const { alice } = setup();
  await alice.call('update', 'k', { a: 1, b: 2 });
  await alice.call('update', 'k', { c: 3 });
  assert.deepEqual((await alice.call('read', 'k')).data, { c: 3 });
  await assert.rejects(alice.call('update', 'k', {}), (e) => e instanceof InvalidRequest && e.message === 'missing data fields');
  await assert.rejects(alice.call('update', '', { path: 'k', a: 1 }), InvalidRequest);
  assert.deepEqual((await alice.call('read', 'k')).data, { c: 3 });
  assert.equal(await alice.exists('k'), true);
  await alice.call('delete', 'k');
  assert.equal((await alice.call('read', 'k')).data, undefined);
  assert.equal(await alice.exists('k'), false);
});

test('destroyCubbyhole removes one token\'s entries and nobody else\'s', async () => {
  const { storage, alice, bob } = setup();
  await alice.call('update', 'a', { v: 1 });
  await alice.call('update', 'deep/er/b', { v: 2 });
  await bob.call('update', 'a', { v: 3 });
  await destroyCubbyhole(storage, 'alice');
  assert.deepEqual(await storage.list(''), ['bob/']);
  assert.deepEqual((await bob.call('read', 'a')).data, { v: 3 });
});

test('a token id that could widen the prefix is refused', async () => {
  const { storage, bob } = setup();
  await bob.call('update', 'a', { v: 3 });
  await assert.rejects(destroyCubbyhole(storage, ''), InvalidRequest);
  await assert.rejects(destroyCubbyhole(storage, 'bob/..'), InvalidRequest);
  assert.equal(cubbyholePrefix('abc'), 'abc/');
  assert.deepEqual((await bob.call('read', 'a')).data, { v: 3 });
});

test('a wrapping token can read the response its cubbyhole holds', async () => {
  const { storage } = setup();
  const wrapping = createWrappingCubbyhole(() => storage);
  await wrapping.store('wraptoken', '{"request_id":"x"}', { creation_ttl: 60, creation_time: '2024-01-01T00:00:00Z', creation_path: 'secret/data/a' });
  const holder = driver(createCubbyholeBackend({ storage }), storage, caller('wraptoken'));
  assert.deepEqual((await holder.call('read', 'response')).data, { response: '{"request_id":"x"}' });
  assert.deepEqual((await holder.call('list', '')).data, { keys: ['response', 'wrapinfo'] });
  await destroyCubbyhole(storage, 'wraptoken');
  assert.equal(await wrapping.readResponse('wraptoken'), undefined);
});
