import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { driver } from '../kv/testing.js';
import { createInmemStorage } from '../../storage/inmem.js';
import { createTotpBackend } from './index.js';
import { readQrPng } from '../../../test/support/qr.js';
import { base32Decode, base32Encode, parseOtpauthUrl } from './otp.js';
import { formatDuration } from '../../util/duration.js';

function harness(startUnix = 0) {
  let at = startUnix * 1000;
  const storage = createInmemStorage();
  const backend = createTotpBackend({
    storage,
    system: { defaultLeaseTtl: () => 3600, maxLeaseTtl: () => 3600, randomBytes: async (n) => randomBytes(n) },
  }, { now: () => new Date(at) });
  return { storage, ...driver(backend, storage), setTime: (unix: number) => { at = unix * 1000; } };
}

// RFC 6238 Appendix B: seeds are the ASCII strings below; 8 digits, 30 s period.
const SEEDS = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const;
const VECTORS: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

test('RFC 6238 Appendix B vectors through code/:name with a fixed clock', async () => {
  const h = harness();
  for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
    await h.call('update', `keys/${algorithm}`, { key: base32Encode(Buffer.from(SEEDS[algorithm])), algorithm, digits: 8 });
  }
  for (const [time, sha1, sha256, sha512] of VECTORS) {
    h.setTime(time);
    const expected = { SHA1: sha1, SHA256: sha256, SHA512: sha512 };
    for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
      const res = await h.call('read', `code/${algorithm}`);
      assert.equal(res.data!.code, expected[algorithm], `${algorithm} at ${time}`);
      assert.equal(res.data!.generated, time);
      assert.equal(res.data!.expire_time, Math.floor(time / 30) * 30 + 30);
      assert.equal(res.data!.period, '30s');
    }
  }
});

test('validate accepts the current code once, within skew, and refuses a replay', async () => {
  const h = harness(1111111111);
  await h.call('update', 'keys/k', { key: base32Encode(Buffer.from(SEEDS.SHA1)), digits: 8 });
  assert.deepEqual((await h.call('update', 'code/k', { code: '14050471' })).data, { valid: true });
  await assert.rejects(h.call('update', 'code/k', { code: '14050471' }),
    (e) => e instanceof InvalidRequest && e.message === 'code already used; wait until the next time period');
  // One step earlier (1111111109 is in the previous step) is within skew 1.
  assert.deepEqual((await h.call('update', 'code/k', { code: '07081804' })).data, { valid: true });
  assert.deepEqual((await h.call('update', 'code/k', { code: '00000000' })).data, { valid: false });
  await assert.rejects(h.call('update', 'code/k', { code: '123' }), (e) => e instanceof InvalidRequest && e.message === 'invalid number of digits for the code');
  await assert.rejects(h.call('update', 'code/k', {}), (e) => e instanceof InvalidRequest && e.message === 'the code value is required');
  await assert.rejects(h.call('update', 'code/nope', { code: '12345678' }), (e) => e instanceof InvalidRequest && e.message === 'unknown key');
  // After the window (period * (2 + skew)) the used code is forgotten, and far outside skew it is invalid.
  h.setTime(1111111111 + 90);
  assert.deepEqual((await h.call('update', 'code/k', { code: '14050471' })).data, { valid: false });
});

test('skew 0 accepts only the current step', async () => {
  const h = harness(1111111111);
  await h.call('update', 'keys/k', { key: base32Encode(Buffer.from(SEEDS.SHA1)), digits: 8, skew: 0 });
  assert.deepEqual((await h.call('update', 'code/k', { code: '07081804' })).data, { valid: false });
  assert.deepEqual((await h.call('update', 'code/k', { code: '14050471' })).data, { valid: true });
});

test('generate returns an otpauth url and a PNG QR code of it (qr_size square); qr_size 0 returns no barcode', async () => {
  const h = harness(1700000000);
  const res = await h.call('update', 'keys/gen', { generate: true, issuer: 'Arca Inc', account_name: 'alice@example.com', algorithm: 'SHA256', digits: 8, period: '60s', key_size: 32 });
  assert.equal(res.warnings, undefined);
  const url = res.data!.url as string;
  assert.deepEqual(readQrPng(res.data!.barcode as string), { width: 200, height: 200, text: url });
  assert.match(url, /^otpauth:\/\/totp\/Arca%20Inc:alice@example\.com\?algorithm=SHA256&digits=8&issuer=Arca\+Inc&period=60&secret=[A-Z2-7]+$/);
  const parsed = parseOtpauthUrl(url);
  assert.equal(base32Decode(parsed.secret).length, 32);
  assert.equal((await h.call('read', 'code/gen')).data!.period, '1m0s');
  assert.deepEqual((await h.call('read', 'keys/gen')).data, { issuer: 'Arca Inc', account_name: 'alice@example.com', period: 60, algorithm: 'SHA256', digits: 8 });
  // Importing the url elsewhere yields the same codes.
  await h.call('update', 'keys/copy', { url });
  assert.equal((await h.call('read', 'code/copy')).data!.code, (await h.call('read', 'code/gen')).data!.code);
  const noQr = await h.call('update', 'keys/gen2', { generate: true, issuer: 'I', account_name: 'a', qr_size: 0 });
  assert.deepEqual(Object.keys(noQr.data!), ['url']);
  assert.equal(noQr.warnings, undefined);
  assert.equal(await h.call('update', 'keys/gen3', { generate: true, issuer: 'I', account_name: 'a', exported: false }).then((r) => r.data), undefined);
  const sized = await h.call('update', 'keys/gen4', { generate: true, issuer: 'I', account_name: 'a', qr_size: 97 });
  assert.deepEqual(readQrPng(sized.data!.barcode as string), { width: 97, height: 97, text: sized.data!.url });
  // A qr_size too small for the code is refused and stores nothing.
  await assert.rejects(h.call('update', 'keys/gen5', { generate: true, issuer: 'I', account_name: 'a', qr_size: 10 }), InvalidRequest);
  assert.equal((await h.call('read', 'keys/gen5')).data, undefined);
});

test('import by url takes the issuer from the label when the query has none', async () => {
  const h = harness();
  await h.call('update', 'keys/u', { url: 'otpauth://totp/Example:bob?secret=JBSWY3DPEHPK3PXP&digits=8&period=45&algorithm=SHA512' });
  assert.deepEqual((await h.call('read', 'keys/u')).data, { issuer: 'Example', account_name: 'bob', period: 45, algorithm: 'SHA512', digits: 8 });
});

test('bad input is refused with Vault\'s messages and nothing is stored', async () => {
  const h = harness();
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ generate: true, key: 'JBSWY3DP', issuer: 'i', account_name: 'a' }, 'a key should not be passed if generate is true'],
    [{ generate: true, url: 'otpauth://totp/a?secret=JBSWY3DP' }, 'a url should not be passed if generate is true'],
    [{ key: 'JBSWY3DP', digits: 7 }, 'the digits value can only be 6 or 8'],
    [{ key: 'JBSWY3DP', algorithm: 'MD5' }, 'the algorithm value is not valid'],
    [{ key: 'JBSWY3DP', period: 0 }, 'the period value must be greater than zero'],
    [{ key: 'JBSWY3DP', skew: 2 }, 'the skew value must be 0 or 1'],
    [{ key: 'JBSWY3DP', qr_size: -1 }, 'the qr_size value must be greater than or equal to zero'],
    [{ generate: true, issuer: 'i', account_name: 'a', key_size: 0 }, 'the key_size value must be greater than zero'],
    [{ generate: true, issuer: 'i' }, 'the account_name value is required for generated keys'],
    [{ generate: true, account_name: 'a' }, 'the issuer value is required for generated keys'],
    [{}, 'the key value is required'],
    [{ key: 'not-base32!' }, 'invalid key value: not base32'],
    [{ url: 'http://[bad' }, 'an error occurred while parsing url string'],
    [{ url: 'otpauth://totp/a?secret=JBSWY3DP&period=x' }, 'an error occurred while parsing period value in url'],
  ];
  for (const [body, message] of cases) {
    await assert.rejects(h.call('update', 'keys/k', body), (e) => e instanceof InvalidRequest && e.message === message, message);
  }
  assert.deepEqual(await h.storage.list(''), []);
});

test('list and delete', async () => {
  const h = harness();
  await h.call('update', 'keys/a', { key: 'JBSWY3DPEHPK3PXP' });
  await h.call('update', 'keys/b', { key: 'jbswy3dpehpk3pxp' });
  assert.deepEqual((await h.call('list', 'keys/')).data, { keys: ['a', 'b'] });
  await h.call('delete', 'keys/a');
  assert.deepEqual((await h.call('list', 'keys/')).data, { keys: ['b'] });
  assert.equal((await h.call('read', 'keys/a')).data, undefined);
  assert.equal(await h.exists('keys/b'), true);
  assert.equal(await h.exists('keys/a'), false);
});

test('period is reported as Go formats durations, as Vault does', () => {
  assert.deepEqual([30, 60, 90, 3600, 3661].map(formatDuration), ['30s', '1m0s', '1m30s', '1h0m0s', '1h1m1s']);
});
