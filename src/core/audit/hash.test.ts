import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createHasher, hashValue, HMAC_PREFIX } from './hash.js';

const salt = Buffer.alloc(32, 7);
const hash = createHasher(salt);

test('HMAC-SHA256 keyed by the salt, lowercase hex with the hmac-sha256: prefix', () => {
  const expected = createHmac('sha256', salt).update('hello').digest('hex');
  assert.equal(hash('hello'), `${HMAC_PREFIX}${expected}`);
  assert.match(hash(''), /^hmac-sha256:[0-9a-f]{64}$/);
  assert.notEqual(createHasher(Buffer.alloc(32, 8))('hello'), hash('hello'));
});

test('only strings are replaced, recursively; keys, numbers, booleans and nulls pass through', () => {
  const input = { a: 'x', n: 5, b: true, z: null, list: ['y', 2, { deep: 'z' }], nested: { k: 'v' } };
  assert.deepEqual(hashValue(input, hash, new Set()), {
    a: hash('x'), n: 5, b: true, z: null, list: [hash('y'), 2, { deep: hash('z') }], nested: { k: hash('v') },
  });
  assert.deepEqual(input.list, ['y', 2, { deep: 'z' }], 'the input is not modified');
});

test('skipped keys stay in clear at any depth', () => {
  assert.deepEqual(hashValue({ visible: 'a', inner: { visible: 'b', other: 'c' } }, hash, new Set(['visible'])), {
    visible: 'a', inner: { visible: 'b', other: hash('c') },
  });
});
