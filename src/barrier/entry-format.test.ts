import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntegrityError } from '../errors.js';
import { decodeEntry, encodeEntry, ENTRY_HEADER_LENGTH, ENTRY_MIN_LENGTH, ENTRY_VERSION_PATH_AAD } from './entry-format.js';

const nonce = Buffer.from('0102030405060708090a0b0c', 'hex');
const ciphertext = Buffer.alloc(20, 0xee);

test('layout: term uint32 BE | version | nonce | ciphertext+tag', () => {
  const blob = encodeEntry({ term: 0x01020304, version: ENTRY_VERSION_PATH_AAD, nonce, ciphertext });
  assert.equal(blob.toString('hex'), '01020304' + '02' + '0102030405060708090a0b0c' + 'ee'.repeat(20));
  assert.equal(ENTRY_HEADER_LENGTH, 17);
  assert.equal(ENTRY_MIN_LENGTH, 33);
});

test('decode returns the fields encode wrote', () => {
  const blob = encodeEntry({ term: 7, version: 2, nonce, ciphertext });
  const entry = decodeEntry(blob);
  assert.equal(entry.term, 7);
  assert.equal(entry.version, 2);
  assert.deepEqual(entry.nonce, nonce);
  assert.deepEqual(entry.ciphertext, ciphertext);
});

test('decode works on a Uint8Array view with an offset', () => {
  const blob = encodeEntry({ term: 3, version: 2, nonce, ciphertext });
  const padded = new Uint8Array(blob.length + 5);
  padded.set(blob, 5);
  assert.equal(decodeEntry(padded.subarray(5)).term, 3);
});

test('short blobs and unknown versions are IntegrityError before any crypto', () => {
  const blob = encodeEntry({ term: 1, version: 2, nonce, ciphertext: Buffer.alloc(16) });
  assert.equal(decodeEntry(blob).ciphertext.length, 16);
  assert.throws(() => decodeEntry(blob.subarray(0, blob.length - 1)), IntegrityError);
  assert.throws(() => decodeEntry(Buffer.alloc(0)), IntegrityError);
  for (const version of [0x0, 0x1, 0x3, 0xff]) {
    const bad = Buffer.from(blob);
    bad[4] = version;
    assert.throws(() => decodeEntry(bad), IntegrityError);
  }
});

test('encode refuses out-of-range fields', () => {
  assert.throws(() => encodeEntry({ term: 2 ** 32, version: 2, nonce, ciphertext }), RangeError);
  assert.throws(() => encodeEntry({ term: 1, version: 1, nonce, ciphertext }), RangeError);
  assert.throws(() => encodeEntry({ term: 1, version: 2, nonce: nonce.subarray(1), ciphertext }), RangeError);
  assert.throws(() => encodeEntry({ term: 1, version: 2, nonce, ciphertext: Buffer.alloc(15) }), RangeError);
});
