import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hkdfSha256, HKDF_SHA256_MAX_LENGTH } from './hkdf.js';

interface Vector { name: string; ikm: string; salt: string; info: string; length: number; okm: string }
const vectors: Vector[] = JSON.parse(
  readFileSync(new URL('../../../test/vectors/rfc5869/hkdf-sha256.json', import.meta.url), 'utf8'),
);
const hex = (s: string) => Buffer.from(s, 'hex');

test('vector file holds RFC 5869 test case 1', () => {
  assert.ok(vectors.some((v) => v.name.includes('Test Case 1')));
});

for (const v of vectors) {
  test(`${v.name}: OKM matches`, () => {
    assert.equal(hkdfSha256(hex(v.ikm), hex(v.salt), hex(v.info), v.length).toString('hex'), v.okm);
  });
}

test('output length outside 1..8160 is refused', () => {
  assert.throws(() => hkdfSha256(Buffer.alloc(1), Buffer.alloc(0), Buffer.alloc(0), 0), /out of range/);
  assert.throws(() => hkdfSha256(Buffer.alloc(1), Buffer.alloc(0), Buffer.alloc(0), HKDF_SHA256_MAX_LENGTH + 1), /out of range/);
});
