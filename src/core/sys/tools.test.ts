import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest, UpstreamError } from '../../errors.js';
import { createDispatcher } from '../../framework/backend.js';
import type { LogicalRequest, Operation } from '../../framework/logical.js';
import { mixEntropy } from '../../crypto/entropy.js';
import { RANDOM_MAX_BYTES, SEAL_RANDOM_CHUNK, resolveRandomRequest, toolsPathsFor, type ToolsDeps } from './tools.js';

/** A seal generator that answers a fixed byte and records each request's size. */
function fixedSeal(byte: number) {
  const sizes: number[] = [];
  let failing = false;
  return {
    sizes,
    fail() { failing = true; },
    seal: {
      type: 'pkcs11' as const,
      random: async (n: number) => {
        sizes.push(n);
        if (failing) throw new Error('CKR_DEVICE_ERROR');
        return Buffer.alloc(n, byte);
      },
    },
  };
}

function harness(deps: ToolsDeps) {
  const dispatcher = createDispatcher(toolsPathsFor(deps));
  return (operation: Operation, path: string, data: Record<string, unknown> = {}) => dispatcher.handle({
    id: 't', operation, path: `sys/${path}`, mountRelativePath: path, mountPoint: 'sys/', mountType: 'system', mountAccessor: 'system',
    data, clientToken: '', headers: {}, remoteAddress: '', storage: undefined as never,
  } satisfies LogicalRequest);
}

const zeros = (n: number) => Buffer.alloc(n);
const shamir: ToolsDeps['seal'] = () => ({ type: 'shamir' });

// FIPS 180-2 and FIPS 202 examples: the digests of "abc".
const ABC: Record<string, string> = {
  'sha2-224': '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7',
  'sha2-256': 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  'sha2-384': 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
  'sha2-512': 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
  'sha3-224': 'e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf',
  'sha3-256': '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532',
  'sha3-384': 'ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25',
  'sha3-512': 'b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0',
};

test('hash: every algorithm by URL and by body, hex and base64', async () => {
  const call = harness({ seal: shamir });
  const input = Buffer.from('abc').toString('base64');
  for (const [algorithm, hex] of Object.entries(ABC)) {
    assert.deepEqual((await call('update', `tools/hash/${algorithm}`, { input })).data, { sum: hex }, algorithm);
    assert.deepEqual((await call('update', 'tools/hash', { input, algorithm, format: 'base64' })).data,
      { sum: Buffer.from(hex, 'hex').toString('base64') }, algorithm);
  }
  // Default sha2-256; the URL wins over the body; GET works as POST does.
  assert.equal((await call('update', 'tools/hash', { input })).data!.sum, ABC['sha2-256']);
  assert.equal((await call('update', 'tools/hash/sha3-512', { input, algorithm: 'sha2-224' })).data!.sum, ABC['sha3-512']);
  assert.equal((await call('read', 'tools/hash', { input })).data!.sum, ABC['sha2-256']);
  assert.equal((await call('update', 'tools/hash', {})).data!.sum, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('hash: bad input, format or algorithm is a 400', async () => {
  const call = harness({ seal: shamir });
  for (const input of ['YWJj!', 'YWJ', 'Y', '====', 'YW Jj']) {
    await assert.rejects(call('update', 'tools/hash', { input }), (err: unknown) => err instanceof InvalidRequest && /base64/.test(err.message), input);
  }
  await assert.rejects(call('update', 'tools/hash', { input: 'YWJj', format: 'raw' }), /unsupported encoding format "raw"/);
  await assert.rejects(call('update', 'tools/hash/md5', { input: 'YWJj' }), /unsupported algorithm md5/);
  await assert.rejects(call('update', 'tools/hash', { input: 'YWJj', algorithm: 'sha1' }), InvalidRequest);
});

test('random: URL forms resolve as Vault reads them', () => {
  assert.deepEqual(resolveRandomRequest({ bytes: 32 }), { source: 'platform', bytes: 32 });
  assert.deepEqual(resolveRandomRequest({ source: 'seal', bytes: 32 }), { source: 'seal', bytes: 32 });
  assert.deepEqual(resolveRandomRequest({ source: '164', bytes: 32 }), { source: 'platform', bytes: 164 });
  assert.deepEqual(resolveRandomRequest({ source: 'all', urlbytes: '8', bytes: 32 }), { source: 'all', bytes: 8 });
  assert.throws(() => resolveRandomRequest({ source: 'many', bytes: 32 }), /error parsing url-set byte count/);
  assert.throws(() => resolveRandomRequest({ source: 'all', urlbytes: '8x', bytes: 32 }), /error parsing url-set byte count/);
  assert.throws(() => resolveRandomRequest({ source: 'hsm', urlbytes: '8', bytes: 32 }), /unsupported entropy source "hsm"/);
});

test('random: platform bytes in both formats, size limits', async () => {
  const call = harness({ seal: shamir });
  const b64 = (await call('update', 'tools/random')).data!.random_bytes as string;
  assert.equal(Buffer.from(b64, 'base64').length, 32);
  assert.match((await call('update', 'tools/random/16', { format: 'hex' })).data!.random_bytes as string, /^[0-9a-f]{32}$/);
  assert.match((await call('read', 'tools/random/platform/3', { format: 'hex' })).data!.random_bytes as string, /^[0-9a-f]{6}$/);
  assert.equal(Buffer.from((await call('update', 'tools/random', { bytes: 7 })).data!.random_bytes as string, 'base64').length, 7);
  const max = await call('update', `tools/random/${RANDOM_MAX_BYTES}`, { format: 'hex' });
  assert.equal((max.data!.random_bytes as string).length, RANDOM_MAX_BYTES * 2);
  await assert.rejects(call('update', `tools/random/${RANDOM_MAX_BYTES + 1}`), /'bytes' should be less than 131072/);
  await assert.rejects(call('update', 'tools/random/0'), /'bytes' cannot be less than 1/);
  await assert.rejects(call('update', 'tools/random', { bytes: -1 }), InvalidRequest);
  await assert.rejects(call('update', 'tools/random', { bytes: 'many' }), InvalidRequest);
  await assert.rejects(call('update', 'tools/random', { format: 'binary' }), /unsupported encoding format "binary"/);
});

test('random: seal draws from the seal generator in chunks; all mixes it with the platform', async () => {
  const gen = fixedSeal(0x5a);
  const call = harness({ seal: () => gen.seal, platform: zeros });
  const seal = await call('update', 'tools/random/seal/3000', { format: 'hex' });
  assert.equal(seal.data!.random_bytes, '5a'.repeat(3000));
  assert.deepEqual(gen.sizes, [SEAL_RANDOM_CHUNK, SEAL_RANDOM_CHUNK, 3000 - 2 * SEAL_RANDOM_CHUNK]);
  assert.equal(seal.warnings, undefined);

  gen.sizes.length = 0;
  const all = await call('update', 'tools/random', { source: 'all', bytes: 48, format: 'hex' });
  assert.equal(all.data!.random_bytes, mixEntropy(zeros(48), Buffer.alloc(48, 0x5a), 48).toString('hex'));
  assert.deepEqual(gen.sizes, [48]);

  gen.sizes.length = 0;
  await call('update', 'tools/random/platform/48');
  assert.deepEqual(gen.sizes, [], 'platform does not ask the seal');

  gen.fail();
  await assert.rejects(call('update', 'tools/random/seal'), (err: unknown) => err instanceof UpstreamError && err.message === 'seal "pkcs11" random number generator failed');
  await assert.rejects(call('update', 'tools/random/all'), UpstreamError);
});

test('random: a seal without a generator refuses seal and serves all from the platform with a warning', async () => {
  const call = harness({ seal: shamir });
  await assert.rejects(call('update', 'tools/random/seal'), (err: unknown) => err instanceof InvalidRequest
    && err.message === 'entropy source "seal" is not available: seal "shamir" has no random number generator');
  const all = await call('update', 'tools/random/all/12', { format: 'hex' });
  assert.match(all.data!.random_bytes as string, /^[0-9a-f]{24}$/);
  assert.deepEqual(all.warnings, ['seal "shamir" has no random number generator; the bytes come from the platform source only']);
});
