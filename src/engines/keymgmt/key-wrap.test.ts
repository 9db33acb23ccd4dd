/** RFC 5649 §6 known answers for the AES key wrap with padding, and the hybrid envelope's layout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createDecipheriv, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { aesKeyWrapPad, rsaAesKeyWrap } from './key-wrap.js';

const KEK = Buffer.from('5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8', 'hex');

test('RFC 5649 §6: 20-octet and 7-octet keys under a 192-bit KEK', () => {
  assert.equal(aesKeyWrapPad(KEK, Buffer.from('c37b7e6492584340bed12207808941155068f738', 'hex')).toString('hex'),
    '138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a');
  assert.equal(aesKeyWrapPad(KEK, Buffer.from('466f7250617369', 'hex')).toString('hex'), 'afbeb0f07dfbf5419200f2ccb50bb24f');
  assert.throws(() => aesKeyWrapPad(Buffer.alloc(20), Buffer.alloc(8)), RangeError);
});

test('RSA-OAEP-SHA256 head of the modulus length, then the KWP of the target under the ephemeral key', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const target = Buffer.alloc(32, 9);
  const wrapped = rsaAesKeyWrap(publicKey, target, 'sha256');
  assert.equal(wrapped.length, 384 + 40);
  const ephemeral = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, wrapped.subarray(0, 384));
  const d = createDecipheriv('id-aes256-wrap-pad', ephemeral, Buffer.from('A65959A6', 'hex'));
  assert.deepEqual(Buffer.concat([d.update(wrapped.subarray(384)), d.final()]), target);
});
