/**
 * Bounded maps that drop their oldest entries. Dropping one with `map.keys().next()` on every
 * insert is quadratic in V8: deleted entries stay as holes at the front of the table until it is
 * rehashed, and each new iterator walks all of them (~6 µs per insert at 10,000 entries). Evicting
 * a share of the entries at once, through one iterator, costs O(1) per entry instead.
 */

/** Deletes the `count` oldest entries (insertion order). */
export function evictOldest<K>(map: Map<K, unknown>, count: number): void {
  if (count <= 0) return;
  for (const key of map.keys()) {
    map.delete(key);
    if (--count === 0) return;
  }
}

/** Makes room for one more entry in a map bounded to `limit`: evicts an eighth of it when full. */
export function makeRoom<K>(map: Map<K, unknown>, limit: number): void {
  if (map.size >= limit) evictOldest(map, map.size - limit + 1 + (limit >> 3));
}
