import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { IntegrityError } from '../errors.js';
import { aeadOpen, aeadSeal, GCM_NONCE_LENGTH, GCM_TAG_LENGTH } from './aead.js';

interface Vector { name: string; key: string; iv: string; plaintext: string; aad: string; ciphertext: string; tag: string }
const vectors: Vector[] = JSON.parse(
  readFileSync(new URL('../../../test/vectors/nist-gcm/gcm-spec-256.json', import.meta.url), 'utf8'),
);
const hex = (s: string) => Buffer.from(s, 'hex');
const aadOf = (v: Vector) => (v.aad === '' ? undefined : hex(v.aad));

test('vector file holds the four 256-bit GCM spec cases', () => {
  assert.equal(vectors.length, 4);
  assert.ok(vectors.some((v) => v.aad !== ''));
});

for (const v of vectors) {
  test(`${v.name}: decrypts to the known plaintext`, () => {
    const out = aeadOpen(hex(v.key), hex(v.iv), Buffer.concat([hex(v.ciphertext), hex(v.tag)]), aadOf(v));
    assert.equal(out.toString('hex'), v.plaintext);
  });

  test(`${v.name}: encrypting with the vector nonce gives the known ciphertext and tag`, () => {
    const sealed = aeadSeal(hex(v.key), hex(v.plaintext), aadOf(v), () => hex(v.iv));
    assert.equal(sealed.ciphertext.toString('hex'), v.ciphertext + v.tag);
  });

  test(`${v.name}: a flipped tag byte fails with IntegrityError`, () => {
    const blob = Buffer.concat([hex(v.ciphertext), hex(v.tag)]);
    blob[blob.length - 1] ^= 0x01;
    assert.throws(() => aeadOpen(hex(v.key), hex(v.iv), blob, aadOf(v)), IntegrityError);
  });

  test(`${v.name}: a different AAD fails with IntegrityError`, () => {
    const blob = Buffer.concat([hex(v.ciphertext), hex(v.tag)]);
    assert.throws(() => aeadOpen(hex(v.key), hex(v.iv), blob, Buffer.from('other')), IntegrityError);
  });
}

test('a flipped ciphertext byte fails', () => {
  const v = vectors[2];
  const blob = Buffer.concat([hex(v.ciphertext), hex(v.tag)]);
  blob[0] ^= 0x80;
  assert.throws(() => aeadOpen(hex(v.key), hex(v.iv), blob), IntegrityError);
});

test('round trip with a random nonce; nonces differ between calls', () => {
  const key = Buffer.alloc(32, 7);
  const a = aeadSeal(key, Buffer.from('secret'), Buffer.from('path/a'));
  const b = aeadSeal(key, Buffer.from('secret'), Buffer.from('path/a'));
  assert.equal(a.nonce.length, GCM_NONCE_LENGTH);
  assert.equal(a.ciphertext.length, 6 + GCM_TAG_LENGTH);
  assert.notDeepEqual(a.nonce, b.nonce);
  assert.equal(aeadOpen(key, a.nonce, a.ciphertext, Buffer.from('path/a')).toString(), 'secret');
});

test('wrong key, truncated ciphertext, short nonce and short key all give the same generic error', () => {
  const key = Buffer.alloc(32, 7);
  const s = aeadSeal(key, Buffer.from('secret'));
  const cases: Array<() => unknown> = [
    () => aeadOpen(Buffer.alloc(32, 8), s.nonce, s.ciphertext),
    () => aeadOpen(key, s.nonce, s.ciphertext.subarray(0, s.ciphertext.length - 1)),
    () => aeadOpen(key, s.nonce, s.ciphertext.subarray(0, GCM_TAG_LENGTH - 1)),
    () => aeadOpen(key, s.nonce.subarray(0, 11), s.ciphertext),
    () => aeadOpen(key.subarray(0, 16), s.nonce, s.ciphertext),
  ];
  for (const c of cases) {
    assert.throws(c, (err: unknown) => err instanceof IntegrityError && err.message === 'integrity check failed');
  }
});

test('a key that is not 32 bytes is refused for encryption', () => {
  assert.throws(() => aeadSeal(Buffer.alloc(16), Buffer.from('x')), /32 bytes/);
});
