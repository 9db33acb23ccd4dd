import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergePatch } from './merge-patch.js';

// RFC 7386 Appendix A test cases: [original, patch, result].
const RFC7386_VECTORS: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

test('merge patch matches every RFC 7386 appendix vector', () => {
  for (const [original, patch, expected] of RFC7386_VECTORS) {
    assert.deepEqual(mergePatch(original, patch), expected, JSON.stringify({ original, patch }));
  }
});

test('merge patch does not mutate its inputs', () => {
  const original = { a: { b: 1 }, c: [1] };
  const patch = { a: { d: 2 }, c: null };
  mergePatch(original, patch);
  assert.deepEqual(original, { a: { b: 1 }, c: [1] });
  assert.deepEqual(patch, { a: { d: 2 }, c: null });
});

test('a __proto__ member is data, not a prototype change', () => {
  const patch = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
  const result = mergePatch({}, patch) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(result), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(JSON.parse(JSON.stringify(result)), JSON.parse('{"__proto__": {"polluted": true}}'));
});
