import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../errors.js';
import { combineShares, splitSecret, validateShareConfig } from './shamir.js';

/** Multiplication in GF(2^8) with the AES polynomial 0x11B, bit by bit (test oracle only). */
function gfMul(a: number, b: number): number {
  let p = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) p ^= a;
    const hi = a & 0x80;
    a = (a << 1) & 0xff;
    if (hi) a ^= 0x1b;
    b >>= 1;
  }
  return p;
}

/** Evaluates sum(coefficients[i] * x^i) in GF(2^8). */
function gfEval(coefficients: number[], x: number): number {
  let result = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) result = gfMul(result, x) ^ coefficients[i];
  return result;
}

function subsets<T>(items: T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...subsets(rest, k - 1).map((s) => [first, ...s]), ...subsets(rest, k)];
}

const secret = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

test('the test oracle multiplies like FIPS-197 (0x57 * 0x83 = 0xc1)', () => {
  assert.equal(gfMul(0x57, 0x83), 0xc1);
  assert.equal(gfMul(0x57, 0x13), 0xfe);
});

test('shares are secret length + 1 with distinct non-zero x as the last byte', async () => {
  const shares = await splitSecret(secret, 5, 3);
  assert.equal(shares.length, 5);
  const xs = new Set(shares.map((s) => s[s.length - 1]));
  assert.equal(xs.size, 5);
  assert.ok(!xs.has(0));
  for (const s of shares) assert.equal(s.length, 33);
});

test('every 3-subset of a 5/3 split recovers the secret; every 2-subset does not', async () => {
  const shares = await splitSecret(secret, 5, 3);
  for (const subset of subsets(shares, 3)) {
    assert.deepEqual(Buffer.from(await combineShares(subset)), secret);
  }
  for (const subset of [...subsets(shares, 3), ...subsets(shares, 4), ...subsets(shares, 5)]) {
    assert.deepEqual(Buffer.from(await combineShares(subset.reverse())), secret);
  }
  for (const subset of subsets(shares, 2)) {
    assert.notDeepEqual(Buffer.from(await combineShares(subset)), secret);
  }
});

test('Buffers are accepted for secret and shares', async () => {
  const shares = (await splitSecret(Buffer.from(secret), 3, 2)).map((s) => Buffer.from(s));
  assert.deepEqual(Buffer.from(await combineShares([shares[2], shares[0]])), secret);
});

test('Vault-format shares built by hand for a known polynomial combine to the secret', async () => {
  // secret bytes 0x42, 0xa7; threshold 3: f0(x) = 0x42 + 0x1f x + 0x9c x^2, f1(x) = 0xa7 + 0x03 x + 0xe1 x^2
  const polys = [[0x42, 0x1f, 0x9c], [0xa7, 0x03, 0xe1]];
  const share = (x: number) => new Uint8Array([...polys.map((p) => gfEval(p, x)), x]);
  const handmade = [share(1), share(2), share(3), share(0xfe)];
  assert.deepEqual(handmade[0], new Uint8Array([0x42 ^ 0x1f ^ 0x9c, 0xa7 ^ 0x03 ^ 0xe1, 1]));
  for (const subset of subsets(handmade, 3)) {
    assert.deepEqual(Buffer.from(await combineShares(subset)), Buffer.from([0x42, 0xa7]));
  }
});

test('shares from splitSecret lie on one polynomial that the oracle reproduces (threshold 2)', async () => {
  const [a, b] = await splitSecret(Buffer.from([0x99]), 2, 2);
  // degree 1: y = s + c*x for some coefficient c; find one c that fits both shares
  let found = false;
  for (let c = 0; c < 256; c++) {
    if (gfEval([0x99, c], a[1]) === a[0] && gfEval([0x99, c], b[1]) === b[0]) found = true;
  }
  assert.equal(found, true);
});

test('shares = 1: the single share is the secret itself, and combining it returns it', async () => {
  const shares = await splitSecret(secret, 1, 1);
  assert.equal(shares.length, 1);
  assert.deepEqual(Buffer.from(shares[0]), secret);
  assert.deepEqual(Buffer.from(await combineShares(shares)), secret);
});

test('Vault validation messages', () => {
  const msg = (shares: number, threshold: number) => {
    try {
      validateShareConfig(shares, threshold);
      return 'ok';
    } catch (err) {
      assert.ok(err instanceof InvalidRequest);
      return err.message;
    }
  };
  assert.equal(msg(5, 1), 'threshold must be greater than one for multiple shares');
  assert.equal(msg(256, 3), 'shares must be less than 256');
  assert.equal(msg(3, 5), 'threshold cannot be larger than shares');
  assert.equal(msg(0, 1), 'shares must be at least one');
  assert.equal(msg(1, 0), 'threshold must be at least one');
  assert.equal(msg(2.5, 2), 'shares must be an integer');
  assert.equal(msg(1, 1), 'ok');
  assert.equal(msg(255, 255), 'ok');
});

test('splitSecret rejects bad configs and an empty secret with InvalidRequest', async () => {
  await assert.rejects(splitSecret(secret, 5, 1), InvalidRequest);
  await assert.rejects(splitSecret(secret, 3, 4), InvalidRequest);
  await assert.rejects(splitSecret(Buffer.alloc(0), 3, 2), InvalidRequest);
});

test('combineShares rejects duplicates, mixed lengths, x = 0 and empty input', async () => {
  const shares = await splitSecret(secret, 3, 2);
  await assert.rejects(combineShares([shares[0], Buffer.from(shares[0])]), (e: unknown) =>
    e instanceof InvalidRequest && e.message === 'duplicate share detected');
  const sameX = Buffer.from(shares[1]);
  sameX[sameX.length - 1] = shares[0][shares[0].length - 1];
  await assert.rejects(combineShares([shares[0], sameX]), InvalidRequest);
  await assert.rejects(combineShares([shares[0], shares[1].subarray(1)]), InvalidRequest);
  const zeroX = Buffer.from(shares[1]);
  zeroX[zeroX.length - 1] = 0;
  await assert.rejects(combineShares([shares[0], zeroX]), InvalidRequest);
  await assert.rejects(combineShares([]), InvalidRequest);
  await assert.rejects(combineShares([Buffer.from([1]), Buffer.from([2])]), InvalidRequest);
});
