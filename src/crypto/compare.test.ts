import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constantTimeEqual } from './compare.js';

test('equal bytes compare equal', () => {
  assert.equal(constantTimeEqual(Buffer.from('abc'), new Uint8Array([0x61, 0x62, 0x63])), true);
  assert.equal(constantTimeEqual(Buffer.alloc(0), Buffer.alloc(0)), true);
});

test('different bytes of the same length compare unequal', () => {
  assert.equal(constantTimeEqual(Buffer.from('abc'), Buffer.from('abd')), false);
});

test('different lengths compare unequal without throwing', () => {
  assert.equal(constantTimeEqual(Buffer.from('abc'), Buffer.from('abcd')), false);
  assert.equal(constantTimeEqual(Buffer.alloc(0), Buffer.from('a')), false);
});
