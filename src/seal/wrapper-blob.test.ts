import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntegrityError } from '../errors.js';
import { decodeWrapperBlob, encodeWrapperBlob, WRAPPER_MECHANISMS, type WrapperBlob } from './wrapper-blob.js';

const sample: WrapperBlob = {
  keyId: 'hsm:0a',
  mechanism: 0x1087,
  iv: Buffer.from('000102030405060708090a0b', 'hex'),
  wrappedKey: Buffer.from('beef', 'hex'),
  ciphertext: Buffer.from('c0ffee', 'hex'),
};

test('layout: version | u16 key id length | key id | u32 mechanism | u8 iv length | iv | u16 wrapped key length | wrapped key | ciphertext', () => {
  assert.equal(
    encodeWrapperBlob(sample).toString('hex'),
    '01' + '0006' + Buffer.from('hsm:0a').toString('hex') + '00001087' + '0c' + '000102030405060708090a0b' + '0002' + 'beef' + 'c0ffee',
  );
  assert.equal(WRAPPER_MECHANISMS.aes256Gcm, 1);
});

test('round trip, including empty iv, empty wrapped key, a UTF-8 key id and a 32-bit mechanism', () => {
  for (const blob of [
    sample,
    { keyId: '', mechanism: 0, iv: Buffer.alloc(0), wrappedKey: Buffer.alloc(0), ciphertext: Buffer.from([1]) },
    { keyId: 'clé/ключ', mechanism: 0x8000_0001, iv: Buffer.alloc(255, 1), wrappedKey: Buffer.alloc(512, 2), ciphertext: Buffer.alloc(100, 3) },
  ]) {
    const back = decodeWrapperBlob(encodeWrapperBlob(blob));
    assert.equal(back.keyId, blob.keyId);
    assert.equal(back.mechanism, blob.mechanism);
    assert.deepEqual(back.iv, blob.iv);
    assert.deepEqual(back.wrappedKey, blob.wrappedKey);
    assert.deepEqual(back.ciphertext, blob.ciphertext);
  }
});

test('every truncation is IntegrityError', () => {
  const bytes = encodeWrapperBlob(sample);
  for (let n = 0; n < bytes.length - sample.ciphertext.length + 1; n++) {
    assert.throws(() => decodeWrapperBlob(bytes.subarray(0, n)), IntegrityError, `length ${n}`);
  }
});

test('unknown version, length fields pointing past the end and invalid UTF-8 are IntegrityError', () => {
  const bytes = encodeWrapperBlob(sample);
  const mutate = (f: (b: Buffer) => void) => {
    const b = Buffer.from(bytes);
    f(b);
    return b;
  };
  assert.throws(() => decodeWrapperBlob(mutate((b) => { b[0] = 0x02; })), IntegrityError);
  assert.throws(() => decodeWrapperBlob(mutate((b) => { b.writeUInt16BE(0xffff, 1); })), IntegrityError);
  assert.throws(() => decodeWrapperBlob(mutate((b) => { b[13] = 0xff; })), IntegrityError); // iv length
  assert.throws(() => decodeWrapperBlob(mutate((b) => { b[3] = 0xff; })), IntegrityError); // key id byte
});

test('encode refuses values that do not fit their fields', () => {
  assert.throws(() => encodeWrapperBlob({ ...sample, iv: Buffer.alloc(256) }), RangeError);
  assert.throws(() => encodeWrapperBlob({ ...sample, mechanism: 2 ** 32 }), RangeError);
  assert.throws(() => encodeWrapperBlob({ ...sample, ciphertext: Buffer.alloc(0) }), RangeError);
  assert.throws(() => encodeWrapperBlob({ ...sample, keyId: 'x'.repeat(65536) }), RangeError);
});
