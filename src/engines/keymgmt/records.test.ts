/**
 * Golden records: the stored layouts of records.ts are permanent, so format-1 records written
 * today must decode forever and re-encode byte for byte. Corrupt or unknown records fail with
 * StorageError rather than decoding into something else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StorageError } from '../../errors.js';
import { decodeDistribution, decodeKey, decodeProvider, encodeDistribution, encodeKey, encodeProvider } from './records.js';

const AES_KEY = Buffer.alloc(32, 7).toString('base64');
const EC_PKCS8 = 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgP5pPryWHO7lUMK+sOOzKeNsinlNq3uH0DPVBbXpyGXWhRANCAAQRzBU7d9wqyS0iq6BLKao++GsCOL/XJJRNLyXVFfcWO1ujTVgKBeSbOkEUEVUoUcvTm9afKfK53LtuUiErXsLk';

const GOLDEN_AES = `{"format":1,"name":"pay","type":"aes256-gcm96","deletion_allowed":false,"min_enabled_version":2,"latest_version":2,"versions":{"1":{"key":"${AES_KEY}","creation_time":"2026-01-02T03:04:05.000Z"},"2":{"key":"${AES_KEY}","creation_time":"2026-02-02T03:04:05.000Z"}}}`;
const GOLDEN_EC = `{"format":1,"name":"sig","type":"ecdsa-p256","deletion_allowed":true,"min_enabled_version":0,"latest_version":1,"versions":{"1":{"key":"${EC_PKCS8}","creation_time":"2026-01-02T03:04:05.000Z"}}}`;
const GOLDEN_PROVIDER = '{"format":1,"name":"aws","provider":"awskms","key_collection":"us-east-1","credentials":{"access_key":"AK","secret_key":"SK"}}';
const GOLDEN_DISTRIBUTION = '{"format":1,"kms":"aws","key":"pay","name":"pay-1767323045","purpose":["encrypt","decrypt"],"protection":"hsm","created":"2026-01-02T03:04:05.000Z","versions":{"1":{"id":"1234abcd-12ab-34cd-56ef-1234567890ab","enabled":false},"2":{"id":"0987dcba-09ba-87dc-65fe-0987654321ba","enabled":true}}}';

test('format-1 key records decode and re-encode byte for byte', () => {
  const aes = decodeKey(Buffer.from(GOLDEN_AES));
  assert.equal(aes.minEnabledVersion, 2);
  assert.equal(aes.latestVersion, 2);
  const v1 = aes.versions.get(1)!.material;
  assert.ok(v1.kind === 'aes' && v1.raw.equals(Buffer.alloc(32, 7)));
  assert.equal(encodeKey(aes).toString(), GOLDEN_AES);

  const ec = decodeKey(Buffer.from(GOLDEN_EC));
  const m = ec.versions.get(1)!.material;
  assert.ok(m.kind === 'ec' && m.privateKey.asymmetricKeyDetails?.namedCurve === 'prime256v1');
  assert.equal(ec.deletionAllowed, true);
  assert.equal(encodeKey(ec).toString(), GOLDEN_EC);
});

test('format-1 provider and distribution records decode and re-encode byte for byte', () => {
  const p = decodeProvider(Buffer.from(GOLDEN_PROVIDER));
  assert.deepEqual(p, { name: 'aws', provider: 'awskms', keyCollection: 'us-east-1', credentials: { access_key: 'AK', secret_key: 'SK' } });
  assert.equal(encodeProvider(p).toString(), GOLDEN_PROVIDER);
  const d = decodeDistribution(Buffer.from(GOLDEN_DISTRIBUTION));
  assert.equal(d.versions.get(1)!.enabled, false);
  assert.deepEqual(d.purpose, ['encrypt', 'decrypt']);
  assert.equal(encodeDistribution(d).toString(), GOLDEN_DISTRIBUTION);
});

test('unknown formats, bad JSON, wrong-length or wrong-algorithm material are StorageErrors', () => {
  const bad = [
    GOLDEN_AES.replace('"format":1', '"format":2'),
    GOLDEN_AES.slice(0, -1),
    GOLDEN_AES.replace(AES_KEY, Buffer.alloc(16, 7).toString('base64')),
    GOLDEN_EC.replace('"ecdsa-p256"', '"rsa-2048"'),
    GOLDEN_EC.replace('"ecdsa-p256"', '"des"'),
    GOLDEN_EC.replace(EC_PKCS8, EC_PKCS8.slice(0, 40)),
  ];
  for (const text of bad) assert.throws(() => decodeKey(Buffer.from(text)), StorageError, text.slice(0, 60));
  assert.throws(() => decodeProvider(Buffer.from('{"format":9}')), StorageError);
  assert.throws(() => decodeDistribution(Buffer.from('[]')), StorageError);
});
