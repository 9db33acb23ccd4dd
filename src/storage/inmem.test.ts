import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exerciseStorage } from './conformance.js';
import { createInmemStorage } from './inmem.js';
import { childrenOf } from './types.js';

exerciseStorage('inmem', async () => createInmemStorage());

test('inmem: a folder with many keys lists every child once', async () => {
  const s = createInmemStorage();
  const keys: string[] = [];
  for (let i = 0; i < 20_000; i++) keys.push(`big/${i % 100}/${i}`, `big/leaf${i}`);
  await Promise.all(keys.map((k) => s.put(k, Buffer.from('v'))));
  const listed = await s.list('big/');
  assert.equal(listed.length, 20_100);
  assert.deepEqual(listed, childrenOf('big/', keys));
  assert.equal((await s.list('big/7/')).length, 200);
  await s.close();
});
