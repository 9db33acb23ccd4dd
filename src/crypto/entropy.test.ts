import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UpstreamError } from '../errors.js';
import { createEntropySource, ENTROPY_MIX_INFO, ENTROPY_MIX_SALT, mixEntropy } from './entropy.js';
import { hkdfSha256 } from './hkdf.js';

test('without augmentation it returns n system bytes', async () => {
  const source = createEntropySource(undefined, { system: (n) => Buffer.alloc(n, 0xaa) });
  assert.deepEqual(await source.randomBytes(5), Buffer.alloc(5, 0xaa));
  assert.equal((await createEntropySource().randomBytes(32)).length, 32);
});

test('with augmentation the output is HKDF-SHA256(system || external) with the fixed labels', async () => {
  const asked: number[] = [];
  const source = createEntropySource(
    async (n) => { asked.push(n); return new Uint8Array(n).fill(0x02); },
    { system: (n) => Buffer.alloc(n, 0x01) },
  );
  const out = await source.randomBytes(32);
  assert.deepEqual(asked, [32]);
  const info = Buffer.concat([ENTROPY_MIX_INFO, Buffer.from([0, 0, 0, 0])]);
  const expected = hkdfSha256(Buffer.concat([Buffer.alloc(32, 1), Buffer.alloc(32, 2)]), ENTROPY_MIX_SALT, info, 32);
  assert.deepEqual(out, expected);
  assert.notDeepEqual(out, Buffer.alloc(32, 1));
});

test('the mix depends on both inputs', () => {
  const a = mixEntropy(Buffer.alloc(16, 1), Buffer.alloc(16, 2), 16);
  assert.notDeepEqual(a, mixEntropy(Buffer.alloc(16, 3), Buffer.alloc(16, 2), 16));
  assert.notDeepEqual(a, mixEntropy(Buffer.alloc(16, 1), Buffer.alloc(16, 3), 16));
});

test('more than one HKDF block of output is produced in full', async () => {
  const source = createEntropySource(async (n) => new Uint8Array(n).fill(9));
  const out = await source.randomBytes(10_000);
  assert.equal(out.length, 10_000);
  // the second block uses a different info, so it does not repeat the first
  assert.notDeepEqual(out.subarray(8160, 8160 + 32), out.subarray(0, 32));
});

test('a failing augmentation source fails loudly, never falls back', async () => {
  const source = createEntropySource(async () => { throw new Error('HSM gone'); });
  await assert.rejects(source.randomBytes(32), (err: unknown) =>
    err instanceof UpstreamError && err.message === 'entropy augmentation source failed');
});

test('a short answer from the augmentation source fails loudly', async () => {
  const source = createEntropySource(async (n) => new Uint8Array(n - 1));
  await assert.rejects(source.randomBytes(32), UpstreamError);
});
