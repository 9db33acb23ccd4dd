import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evictOldest, makeRoom } from './evict.js';

test('evictOldest drops the oldest entries in insertion order', () => {
  const map = new Map([['a', 1], ['b', 2], ['c', 3], ['d', 4]]);
  map.delete('b');
  map.set('a', 9); // re-setting keeps its place
  evictOldest(map, 2);
  assert.deepEqual([...map.keys()], ['d']);
  evictOldest(map, 5);
  assert.equal(map.size, 0);
  evictOldest(map, 0);
});

test('makeRoom keeps a map under its limit, evicting an eighth of it at once', () => {
  const map = new Map<number, number>();
  for (let i = 0; i < 100; i++) {
    makeRoom(map, 16);
    map.set(i, i);
    assert.ok(map.size <= 16);
  }
  assert.ok(map.has(99) && map.has(98));
  assert.ok(!map.has(0));
});
