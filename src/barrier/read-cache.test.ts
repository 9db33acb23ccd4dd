import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createInmemStorage } from '../storage/inmem.js';
import { SealedError } from '../errors.js';
import { createAesGcmBarrier } from './aes-gcm-barrier.js';
import { withReadCache } from './read-cache.js';
import type { SecurityBarrier } from './types.js';

/** The barrier with its `get` replaced (a class instance: methods are bound, not spread). */
function withGet(barrier: SecurityBarrier, get: SecurityBarrier['get']): SecurityBarrier {
  return new Proxy(barrier, {
    get(target, property) {
      if (property === 'get') return get;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function unsealedBarrier(): Promise<{ barrier: SecurityBarrier; rootKey: Buffer }> {
  const barrier = createAesGcmBarrier(createInmemStorage());
  const rootKey = randomBytes(32);
  await barrier.initialize(Buffer.from(rootKey));
  await barrier.unseal(Buffer.from(rootKey));
  return { barrier, rootKey };
}

test('reads are served from the cache after the first; writes and deletes refresh it', async () => {
  const { barrier } = await unsealedBarrier();
  let reads = 0;
  const counting = withGet(barrier, async (k) => { reads++; return barrier.get(k); });
  const cached = withReadCache(counting);
  await cached.put('a', Buffer.from('one'));
  assert.equal((await cached.get('a'))!.toString(), 'one');
  assert.equal(reads, 0, 'a completed write fills the cache');
  await cached.delete('a');
  assert.equal(await cached.get('a'), undefined);
  assert.equal(reads, 0, 'a completed delete caches the absence');
  assert.equal(await cached.get('missing'), undefined);
  assert.equal(await cached.get('missing'), undefined);
  assert.equal(reads, 1);
  const view = cached.view('v/');
  await view.put('x', Buffer.from('in view'));
  assert.equal((await cached.get('v/x'))!.toString(), 'in view');
});

test('a read that raced a write never leaves the old value in the cache', async () => {
  const { barrier } = await unsealedBarrier();
  await barrier.put('k', Buffer.from('old'));
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  let first = true;
  const slow = withGet(barrier, async (k) => {
    const value = await barrier.get(k); // reads the old value now...
    if (first) { first = false; await gate; } // ...and returns it after the write
    return value;
  });
  const cached = withReadCache(slow);
  const racingRead = cached.get('k');
  await cached.put('k', Buffer.from('new'));
  release();
  assert.equal((await racingRead)!.toString(), 'old');
  assert.equal((await cached.get('k'))!.toString(), 'new');
});

test('sealing empties the cache and cached keys still answer SealedError', async () => {
  const { barrier, rootKey } = await unsealedBarrier();
  const cached = withReadCache(barrier);
  await cached.put('s', Buffer.from('secret'));
  const held = await cached.get('s');
  cached.seal();
  await assert.rejects(cached.get('s'), SealedError);
  assert.equal(cached.cacheStats().entries, 0);
  await cached.unseal(Buffer.from(rootKey));
  assert.equal((await cached.get('s'))!.toString(), 'secret');
  assert.equal(held!.toString(), 'secret', 'callers get copies, not the cached buffer');
});

test('the cache stays within its byte budget', async () => {
  const { barrier } = await unsealedBarrier();
  const cached = withReadCache(barrier, { maxBytes: 10_000 });
  for (let i = 0; i < 100; i++) await cached.put(`k${i}`, Buffer.alloc(500, i));
  assert.ok(cached.cacheStats().bytes <= 10_000);
  assert.equal((await cached.get('k0'))![0], 0, 'evicted keys are read from storage again');
});

test('bookkeeping is kept only for keys with operations in flight (no growth with the number of keys)', async () => {
  const { barrier } = await unsealedBarrier();
  const cached = withReadCache(barrier, { maxBytes: 4096 });
  await Promise.all(Array.from({ length: 500 }, (_, i) => cached.put(`many/${i}`, Buffer.from(String(i)))));
  await Promise.all(Array.from({ length: 500 }, (_, i) => cached.get(`many/${i}`)));
  assert.equal(cached.cacheStats().tracked, 0);
});

/** A full collection (the test runner does not pass --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

test('the memory the cache holds stays near its byte budget with many distinct keys', async () => {
  const { barrier } = await unsealedBarrier();
  // Values made on read (nothing is kept in storage), among other small allocations from Node's
  // shared Buffer pool, as in a server (request bodies, encodings): a cached pool slice pins them.
  let transient: Buffer[] = [];
  const generated = withGet(barrier, async (k) => {
    transient.push(Buffer.from(`request for ${k} `.repeat(60)));
    if (transient.length > 8) transient = [];
    return Buffer.from(JSON.stringify({ data: { value: 'x'.repeat(150) }, key: k }));
  });
  const maxBytes = 4 * 1024 * 1024;
  const cached = withReadCache(generated, { maxBytes });
  collectGarbage();
  const before = process.memoryUsage();
  for (let i = 0; i < 40_000; i++) await cached.get(`logical/mount/data/key-${i}`);
  transient = [];
  collectGarbage();
  const after = process.memoryUsage();
  const held = (after.heapUsed - before.heapUsed) + (after.arrayBuffers - before.arrayBuffers);
  assert.ok(cached.cacheStats().bytes <= maxBytes);
  assert.ok(held < 2 * maxBytes, `the cache holds ${(held / 1048576).toFixed(1)} MiB for a ${maxBytes / 1048576} MiB budget`);
});
