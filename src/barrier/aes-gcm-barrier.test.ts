import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aeadOpen } from '../crypto/aead.js';
import { IntegrityError, InvalidRequest, NotInitialized, SealedError } from '../errors.js';
import { createInmemStorage } from '../storage/inmem.js';
import type { Storage } from '../storage/types.js';
import { COUNT_PERSIST_INTERVAL, createAesGcmBarrier, readRootKeyEntry, type AesGcmBarrierOptions } from './aes-gcm-barrier.js';
import { decodeEntry } from './entry-format.js';
import type { Keyring } from './keyring.js';
import type { SecurityBarrier } from './types.js';

const rootKey = Buffer.alloc(32, 0x11);

async function ready(opts: AesGcmBarrierOptions = {}, storage: Storage = createInmemStorage()) {
  const barrier = createAesGcmBarrier(storage, opts);
  await barrier.initialize(rootKey);
  await barrier.unseal(rootKey);
  return { barrier, storage };
}

/** The barrier's private keyring, for the tests that must see key buffers and counts. */
function keyringOf(barrier: SecurityBarrier): Keyring | undefined {
  return Reflect.get(barrier, 'keyring') as Keyring | undefined;
}

function termsOf(blobs: (Buffer | undefined)[]): number[] {
  return blobs.map((b) => decodeEntry(b!).term);
}

test('lifecycle: uninitialised → initialised and sealed → unsealed', async () => {
  const storage = createInmemStorage();
  const barrier = createAesGcmBarrier(storage);
  assert.equal(await barrier.initialized(), false);
  await assert.rejects(barrier.unseal(rootKey), NotInitialized);
  await barrier.initialize(rootKey);
  assert.equal(await barrier.initialized(), true);
  assert.equal(barrier.sealed, true);
  await assert.rejects(barrier.initialize(rootKey), InvalidRequest);
  await barrier.unseal(rootKey);
  assert.equal(barrier.sealed, false);
  assert.ok(await storage.get('core/keyring'));
  assert.ok(await storage.get('core/root-key'));
});

test('unseal with a wrong root key is IntegrityError and stays sealed', async () => {
  const barrier = createAesGcmBarrier(createInmemStorage());
  await barrier.initialize(rootKey);
  await assert.rejects(barrier.unseal(Buffer.alloc(32, 0x12)), IntegrityError);
  assert.equal(barrier.sealed, true);
  await assert.rejects(barrier.unseal(Buffer.alloc(16)), InvalidRequest);
});

test('sealed: get, put, list, delete and view operations throw SealedError', async () => {
  const { barrier } = await ready();
  await barrier.put('a', Buffer.from('x'));
  barrier.seal();
  assert.equal(barrier.sealed, true);
  await assert.rejects(barrier.get('a'), SealedError);
  await assert.rejects(barrier.put('a', Buffer.from('y')), SealedError);
  await assert.rejects(barrier.list(''), SealedError);
  await assert.rejects(barrier.delete('a'), SealedError);
  const view = barrier.view('v/');
  await assert.rejects(view.get('a'), SealedError);
  await assert.rejects(view.put('a', Buffer.from('y')), SealedError);
  assert.throws(() => barrier.keyStatus(), SealedError);
  await assert.rejects(barrier.rotate(), SealedError);
});

test('round trip; storage holds only ciphertext with term 1, version 2', async () => {
  const { barrier, storage } = await ready();
  await barrier.put('secret/foo', Buffer.from('plaintext value'));
  assert.equal((await barrier.get('secret/foo'))?.toString(), 'plaintext value');
  assert.equal(await barrier.get('secret/missing'), undefined);
  const raw = (await storage.get('secret/foo'))!;
  assert.equal(raw.includes(Buffer.from('plaintext')), false);
  const header = decodeEntry(raw);
  assert.equal(header.term, 1);
  assert.equal(header.version, 2);
  assert.deepEqual(await barrier.list('secret/'), ['foo']);
  await barrier.delete('secret/foo');
  assert.equal(await barrier.get('secret/foo'), undefined);
});

test('keys come from the injected random source', async () => {
  const termKey = Buffer.alloc(32, 0x5a);
  const { barrier, storage } = await ready({ random: async (n) => Buffer.alloc(n, 0x5a) });
  await barrier.put('k', Buffer.from('v'));
  const entry = decodeEntry((await storage.get('k'))!);
  assert.equal(aeadOpen(termKey, entry.nonce, entry.ciphertext, Buffer.from('k')).toString(), 'v');
});

test('a value moved to another path fails (path is the AAD)', async () => {
  const { barrier, storage } = await ready();
  await barrier.put('secret/a', Buffer.from('A'));
  await storage.put('secret/b', (await storage.get('secret/a'))!);
  await assert.rejects(barrier.get('secret/b'), IntegrityError);
});

test('replay of an entry from an old path after it was deleted there fails at the new path', async () => {
  const { barrier, storage } = await ready();
  await barrier.put('secret/old', Buffer.from('old value'));
  const oldBlob = (await storage.get('secret/old'))!;
  await barrier.delete('secret/old');
  await barrier.rotate();
  await barrier.put('secret/new', Buffer.from('new value'));
  await storage.put('secret/new', oldBlob);
  await assert.rejects(barrier.get('secret/new'), IntegrityError);
});

test('every flipped byte fails with IntegrityError', async () => {
  const { barrier, storage } = await ready();
  await barrier.put('p', Buffer.from('some value'));
  const good = (await storage.get('p'))!;
  for (let i = 0; i < good.length; i++) {
    for (const mask of [0x01, 0x80]) {
      const bad = Buffer.from(good);
      bad[i] ^= mask;
      await storage.put('p', bad);
      await assert.rejects(barrier.get('p'), IntegrityError, `byte ${i} mask ${mask}`);
    }
  }
  await storage.put('p', good);
  assert.equal((await barrier.get('p'))?.toString(), 'some value');
});

test('truncated entries fail with IntegrityError at every length', async () => {
  const { barrier, storage } = await ready();
  await barrier.put('p', Buffer.from('value'));
  const good = (await storage.get('p'))!;
  for (let n = 0; n < good.length; n++) {
    await storage.put('p', good.subarray(0, n));
    await assert.rejects(barrier.get('p'), IntegrityError, `length ${n}`);
  }
});

test('an entry naming an unknown term fails with IntegrityError', async () => {
  const { barrier, storage } = await ready();
  await barrier.put('p', Buffer.from('value'));
  for (const term of [0, 2, 0xffffffff]) {
    const bad = Buffer.from((await storage.get('p'))!);
    bad.writeUInt32BE(term, 0);
    await storage.put('p', bad);
    await assert.rejects(barrier.get('p'), IntegrityError, `term ${term}`);
  }
});

test('a tampered keyring blob fails unseal with IntegrityError', async () => {
  const storage = createInmemStorage();
  const barrier = createAesGcmBarrier(storage);
  await barrier.initialize(rootKey);
  const blob = Buffer.from((await storage.get('core/keyring'))!);
  blob[blob.length - 3] ^= 1;
  await storage.put('core/keyring', blob);
  await assert.rejects(barrier.unseal(rootKey), IntegrityError);
});

test('rotate adds a term; old terms decrypt; the new term encrypts; state survives reseal', async () => {
  let clock = new Date('2025-01-01T00:00:00Z');
  const { barrier, storage } = await ready({ now: () => clock });
  await barrier.put('old', Buffer.from('1'));
  clock = new Date('2025-02-01T00:00:00Z');
  assert.equal(await barrier.rotate(), 2);
  await barrier.put('new', Buffer.from('2'));
  assert.deepEqual(termsOf([await storage.get('old'), await storage.get('new')]), [1, 2]);
  assert.equal((await barrier.get('old'))?.toString(), '1');
  const status = barrier.keyStatus();
  assert.equal(status.term, 2);
  assert.deepEqual(status.installTime, clock);
  assert.equal(status.encryptions, 1);
  // core/root-key now decrypts with term 2
  assert.equal(decodeEntry((await storage.get('core/root-key'))!).term, 2);
  assert.deepEqual(await readRootKeyEntry(storage, keyringOf(barrier)!), rootKey);

  barrier.seal();
  const again = createAesGcmBarrier(storage);
  await again.unseal(rootKey);
  assert.equal(again.keyStatus().term, 2);
  assert.equal((await again.get('old'))?.toString(), '1');
  assert.equal((await again.get('new'))?.toString(), '2');
});

test('sealing zeroes the root key and every term key', async () => {
  const { barrier } = await ready();
  await barrier.rotate();
  const ring = keyringOf(barrier)!;
  const buffers = [ring.rootKey, ...[...ring.terms.values()].map((t) => t.key)];
  assert.equal(buffers.length, 3);
  assert.ok(buffers.every((b) => !b.equals(Buffer.alloc(32))));
  barrier.seal();
  for (const b of buffers) assert.deepEqual(b, Buffer.alloc(32));
  assert.equal(keyringOf(barrier), undefined);
});

test('automatic rotation when maxOperations is reached, with no overshoot under concurrency', async () => {
  const { barrier, storage } = await ready();
  // unseal biased the count up by COUNT_PERSIST_INTERVAL
  assert.equal(barrier.keyStatus().encryptions, COUNT_PERSIST_INTERVAL);
  await barrier.setRotationConfig({ maxOperations: COUNT_PERSIST_INTERVAL + 5, intervalMs: 0, enabled: true });
  await Promise.all(Array.from({ length: 20 }, (_, i) => barrier.put(`k${i}`, Buffer.from([i]))));
  const terms = termsOf(await Promise.all(Array.from({ length: 20 }, (_, i) => storage.get(`k${i}`))));
  assert.equal(terms.filter((t) => t === 1).length, 5);
  assert.equal(terms.filter((t) => t === 2).length, 15);
  assert.equal(barrier.keyStatus().term, 2);
  assert.equal(barrier.keyStatus().encryptions, 15);
  for (let i = 0; i < 20; i++) assert.deepEqual(await barrier.get(`k${i}`), Buffer.from([i]));
});

test('automatic rotation when the interval has elapsed; none when disabled', async () => {
  let clock = new Date('2025-01-01T00:00:00Z');
  const { barrier } = await ready({ now: () => clock });
  await barrier.setRotationConfig({ maxOperations: 3_865_470_566, intervalMs: 86_400_000, enabled: true });
  await barrier.put('a', Buffer.from('1'));
  assert.equal(barrier.keyStatus().term, 1);
  clock = new Date('2025-01-02T00:00:00Z');
  await barrier.put('b', Buffer.from('2'));
  assert.equal(barrier.keyStatus().term, 2);
  assert.deepEqual(barrier.keyStatus().installTime, clock);

  await barrier.setRotationConfig({ maxOperations: 1, intervalMs: 1, enabled: false });
  clock = new Date('2026-01-01T00:00:00Z');
  await barrier.put('c', Buffer.from('3'));
  assert.equal(barrier.keyStatus().term, 2);
  assert.deepEqual(barrier.rotationConfig(), { maxOperations: 1, intervalMs: 1, enabled: false });
});

test('rotation config is persisted and validated', async () => {
  const { barrier, storage } = await ready();
  await barrier.setRotationConfig({ maxOperations: 2_000_000, intervalMs: 172_800_000, enabled: true });
  await assert.rejects(barrier.setRotationConfig({ maxOperations: 0, intervalMs: 0, enabled: true }), InvalidRequest);
  await assert.rejects(barrier.setRotationConfig({ maxOperations: 4_000_000_000, intervalMs: 0, enabled: true }), InvalidRequest);
  await assert.rejects(barrier.setRotationConfig({ maxOperations: 2_000_000, intervalMs: -1, enabled: true }), InvalidRequest);
  const again = createAesGcmBarrier(storage);
  await again.unseal(rootKey);
  assert.deepEqual(again.rotationConfig(), { maxOperations: 2_000_000, intervalMs: 172_800_000, enabled: true });
});

test('encryption counts: lost on crash at most up to the persist interval, and reloaded biased upward', async () => {
  const { barrier, storage } = await ready();
  for (let i = 0; i < 3; i++) await barrier.put(`x${i}`, Buffer.from('v'));
  assert.equal(barrier.keyStatus().encryptions, COUNT_PERSIST_INTERVAL + 3);
  // "crash": no seal, a fresh process reads storage
  const after = createAesGcmBarrier(storage);
  await after.unseal(rootKey);
  // persisted count was COUNT_PERSIST_INTERVAL (the first unseal's bias, unpersisted: 0) + bias
  assert.equal(after.keyStatus().encryptions, COUNT_PERSIST_INTERVAL);
  assert.ok(after.keyStatus().encryptions >= 3);

  // after COUNT_PERSIST_INTERVAL encryptions the count is written to the keyring
  for (let i = 0; i < COUNT_PERSIST_INTERVAL; i++) await after.put('y', Buffer.from('v'));
  const live = after.keyStatus().encryptions;
  const reloaded = createAesGcmBarrier(storage);
  await reloaded.unseal(rootKey);
  assert.ok(reloaded.keyStatus().encryptions >= live, `${reloaded.keyStatus().encryptions} >= ${live}`);
});

test('view: keys are relative to the prefix and list returns relative names', async () => {
  const { barrier, storage } = await ready();
  const view = barrier.view('logical/abc/');
  await view.put('foo', Buffer.from('1'));
  await view.put('dir/bar', Buffer.from('2'));
  await view.put('../escape', Buffer.from('3'));
  assert.deepEqual(await storage.list('logical/abc/'), ['../', 'dir/', 'foo']);
  assert.deepEqual(await storage.list('logical/'), ['abc/']);
  assert.equal((await barrier.get('logical/abc/foo'))?.toString(), '1');
  assert.equal((await view.get('foo'))?.toString(), '1');
  assert.deepEqual(await view.list(''), ['../', 'dir/', 'foo']);
  assert.deepEqual(await view.list('dir/'), ['bar']);
  await view.delete('foo');
  assert.equal(await barrier.get('logical/abc/foo'), undefined);
  // a value written through one view is bound to its full path: another view cannot read it
  await storage.put('logical/xyz/dir/bar', (await storage.get('logical/abc/dir/bar'))!);
  await assert.rejects(barrier.view('logical/xyz/').get('dir/bar'), IntegrityError);
});

test('reserved physical paths cannot be written or deleted through the barrier', async () => {
  const { barrier } = await ready();
  for (const path of ['core/keyring', 'core/root-key', 'core/seal-config', 'core/hsm/barrier-unseal-keys']) {
    await assert.rejects(barrier.put(path, Buffer.from('x')), InvalidRequest);
    await assert.rejects(barrier.delete(path), InvalidRequest);
  }
  await assert.rejects(barrier.get('core/keyring'), IntegrityError);
});

test('works over storage without transactions', async () => {
  const inner = createInmemStorage();
  const plain: Storage = {
    get: (k) => inner.get(k),
    put: (k, v) => inner.put(k, v),
    delete: (k) => inner.delete(k),
    list: (p) => inner.list(p),
    close: () => inner.close(),
  };
  const { barrier } = await ready({}, plain);
  await barrier.rotate();
  await barrier.put('a', Buffer.from('1'));
  const again = createAesGcmBarrier(plain);
  await again.unseal(rootKey);
  assert.equal((await again.get('a'))?.toString(), '1');
});

test('reload picks up another node’s rotation with no sealed moment; the old keyring is zeroed after', async () => {
  const { barrier, storage } = await ready();
  await barrier.put('before', Buffer.from('1'));
  const other = createAesGcmBarrier(storage);
  await other.unseal(rootKey);
  await other.rotate();
  await other.put('after', Buffer.from('2'));
  await assert.rejects(barrier.get('after'), IntegrityError, 'term 2 is unknown before the reload');

  const old = keyringOf(barrier)!;
  const reloading = barrier.reload();
  // Meanwhile the barrier stays unsealed and serves reads with the keyring being replaced.
  assert.equal(barrier.sealed, false);
  assert.equal((await barrier.get('before'))?.toString(), '1');
  await reloading;
  assert.equal(barrier.sealed, false);
  assert.equal(barrier.keyStatus().term, 2);
  assert.equal((await barrier.get('after'))?.toString(), '2');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(old.rootKey, Buffer.alloc(32));
});

test('reload: a seal meanwhile stands; a failed reload leaves the barrier sealed', async () => {
  const { barrier, storage } = await ready();
  const reloading = barrier.reload();
  barrier.seal();
  await reloading;
  assert.equal(barrier.sealed, true);

  await barrier.unseal(rootKey);
  await storage.delete('core/keyring');
  await assert.rejects(barrier.reload(), NotInitialized);
  assert.equal(barrier.sealed, true);
});
