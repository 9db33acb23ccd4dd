import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combine as referenceCombine, split as referenceSplit } from 'shamir-secret-sharing';
import { gfDiv, gfInverse, gfMul } from './gf256.js';
import { combineShares, splitSecret } from './shamir.js';

/** Textbook carry-less multiplication with reduction, written differently on purpose. */
function slowMul(a: number, b: number): number {
  let product = 0;
  for (let bit = 0; bit < 8; bit++) if ((b >> bit) & 1) product ^= a << bit;
  for (let bit = 14; bit >= 8; bit--) if ((product >> bit) & 1) product ^= 0x11b << (bit - 8);
  return product;
}

test('gfMul matches a textbook carry-less multiply mod 0x11B for every pair', () => {
  for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) assert.equal(gfMul(a, b), slowMul(a, b));
});

test('gfInverse is the multiplicative inverse of every non-zero element; division undoes multiplication', () => {
  assert.equal(gfInverse(0), 0);
  for (let a = 1; a < 256; a++) {
    assert.equal(gfMul(a, gfInverse(a)), 1, `a=${a}`);
    assert.equal(gfDiv(gfMul(a, 0x53), 0x53), a);
  }
  assert.equal(gfMul(0x53, 0xca), 1); // FIPS-197's worked example: {53}·{CA} = {01}
});

test('shares interoperate with the reference package both ways, for every threshold subset', async () => {
  const secret = new Uint8Array(Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex'));
  const ours = await splitSecret(secret, 5, 3);
  assert.deepEqual(Buffer.from(await referenceCombine([ours[4], ours[0], ours[2]])), Buffer.from(secret));
  const theirs = await referenceSplit(secret, 5, 3);
  assert.deepEqual(Buffer.from(await combineShares([theirs[1], theirs[3], theirs[4]])), Buffer.from(secret));
  const two = await combineShares([theirs[0], theirs[1]]);
  assert.notDeepEqual(Buffer.from(two), Buffer.from(secret));
});

test('split uses distinct non-zero x-coordinates as the last byte', async () => {
  const shares = await splitSecret(new Uint8Array(32).fill(7), 255, 2);
  const xs = new Set(shares.map((s) => s[32]));
  assert.equal(xs.size, 255);
  assert.ok(!xs.has(0));
});
