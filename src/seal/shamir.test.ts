import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntegrityError, InvalidRequest, SealedError } from '../errors.js';
import { combineShares, splitSecret } from '../crypto/shamir.js';
import { createShamirSeal } from './shamir.js';
import { decodeWrapperBlob, encodeWrapperBlob, WRAPPER_MECHANISMS } from './wrapper-blob.js';

const kek = Buffer.alloc(32, 0x42);

test('type shamir, not auto-unseal', () => {
  const seal = createShamirSeal();
  assert.equal(seal.type, 'shamir');
  assert.equal(seal.autoUnseal, false);
});

test('wrapper() before setUnsealKey is SealedError', async () => {
  const seal = createShamirSeal();
  await seal.init();
  assert.throws(() => seal.wrapper(), SealedError);
});

test('encrypt produces a wrapper blob with key id shamir, AES-256-GCM, 12-byte iv; decrypt reverses it', async () => {
  const seal = createShamirSeal();
  seal.setUnsealKey(kek);
  const aad = Buffer.from('core/hsm/barrier-unseal-keys');
  const blob = await seal.wrapper().encrypt(Buffer.from('root key bytes'), aad);
  const parsed = decodeWrapperBlob(blob);
  assert.equal(parsed.keyId, 'shamir');
  assert.equal(parsed.mechanism, WRAPPER_MECHANISMS.aes256Gcm);
  assert.equal(parsed.iv.length, 12);
  assert.equal(parsed.wrappedKey.length, 0);
  assert.equal(Buffer.from(await seal.wrapper().decrypt(blob, aad)).toString(), 'root key bytes');
});

test('wrong KEK, wrong AAD, flipped bytes, other key id or mechanism are IntegrityError', async () => {
  const seal = createShamirSeal();
  seal.setUnsealKey(kek);
  const blob = Buffer.from(await seal.wrapper().encrypt(Buffer.from('x'), Buffer.from('a')));
  await assert.rejects(seal.wrapper().decrypt(blob, Buffer.from('b')), IntegrityError);
  await assert.rejects(seal.wrapper().decrypt(blob), IntegrityError);
  for (let i = 0; i < blob.length; i++) {
    const bad = Buffer.from(blob);
    bad[i] ^= 0x04;
    await assert.rejects(seal.wrapper().decrypt(bad, Buffer.from('a')), IntegrityError, `byte ${i}`);
  }
  const parsed = decodeWrapperBlob(blob);
  await assert.rejects(seal.wrapper().decrypt(encodeWrapperBlob({ ...parsed, keyId: 'other' }), Buffer.from('a')), IntegrityError);
  await assert.rejects(seal.wrapper().decrypt(encodeWrapperBlob({ ...parsed, mechanism: 2 }), Buffer.from('a')), IntegrityError);

  const other = createShamirSeal();
  other.setUnsealKey(Buffer.alloc(32, 0x43));
  await assert.rejects(other.wrapper().decrypt(blob, Buffer.from('a')), IntegrityError);
});

test('clearUnsealKey zeroes the KEK copy and makes the wrapper unavailable again', async () => {
  const seal = createShamirSeal();
  const mine = Buffer.from(kek);
  seal.setUnsealKey(mine);
  mine.fill(0); // the seal kept its own copy
  const w = seal.wrapper();
  const blob = await w.encrypt(Buffer.from('v'));
  seal.clearUnsealKey();
  assert.throws(() => seal.wrapper(), SealedError);
  await assert.rejects(w.decrypt(blob), SealedError);
  seal.setUnsealKey(kek);
  assert.equal(Buffer.from(await seal.wrapper().decrypt(blob)).toString(), 'v');
  await seal.close();
  assert.throws(() => seal.wrapper(), SealedError);
});

test('a KEK that is not 32 bytes is InvalidRequest', () => {
  assert.throws(() => createShamirSeal().setUnsealKey(Buffer.alloc(33)), InvalidRequest);
});

test('end to end: KEK split 5/3, any 3 shares unwrap what the KEK wrapped', async () => {
  const seal = createShamirSeal();
  seal.setUnsealKey(kek);
  const blob = await seal.wrapper().encrypt(Buffer.from('root'));
  seal.clearUnsealKey();
  const shares = await splitSecret(kek, 5, 3);
  seal.setUnsealKey(await combineShares([shares[4], shares[1], shares[2]]));
  assert.equal(Buffer.from(await seal.wrapper().decrypt(blob)).toString(), 'root');
  seal.setUnsealKey(await combineShares([shares[0], shares[1]]));
  await assert.rejects(seal.wrapper().decrypt(blob), IntegrityError);
});
