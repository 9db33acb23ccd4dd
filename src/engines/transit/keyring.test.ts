import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  constants, createCipheriv, createDecipheriv, createHash, createHmac, createPublicKey, hkdfSync, privateDecrypt, randomBytes, verify,
} from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { decodeBackup, decodeKey, encodeBackup, encodeKey } from './key-codec.js';
import { KEY_TYPES } from './key-types.js';
import {
  createKey, decryptValue, deriveKeyBytes, encryptValue, ERR_TOO_OLD, exportKey, hmacInput, rotateKey, rotationDue,
  signInput, trimKey, updateConfig, verifyHmac, verifySignature, type TransitKey,
} from './keyring.js';

const random = async (n: number) => randomBytes(n);
const b = (s: string) => Buffer.from(s, 'utf8');

function withRawKey(key: TransitKey, raw: Buffer): TransitKey {
  key.versions.get(1)!.material.raw = raw;
  return key;
}

test('AES-256-GCM known answer: a ciphertext built with node:crypto from a known key decrypts', async () => {
  const raw = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
  const key = withRawKey(await createKey({ name: 'k', type: 'aes256-gcm96' }, random), raw);
  const nonce = Buffer.from('cafebabefacedbaddecaf888', 'hex');
  const cipher = createCipheriv('aes-256-gcm', raw, nonce);
  const body = Buffer.concat([cipher.update(b('the quick brown fox')), cipher.final(), cipher.getAuthTag()]);
  const ciphertext = `vault:v1:${Buffer.concat([nonce, body]).toString('base64')}`;
  assert.equal(decryptValue(key, ciphertext).plaintext.toString('utf8'), 'the quick brown fox');
  // NIST SP 800-38D test case 13 (zero key, zero IV, empty plaintext) as a vault ciphertext.
  const zero = withRawKey(await createKey({ name: 'z', type: 'aes256-gcm96' }, random), Buffer.alloc(32));
  const tag = Buffer.from('530f8afbc74536b9a963b4f1c4cb738b', 'hex');
  assert.equal(decryptValue(zero, `vault:v1:${Buffer.concat([Buffer.alloc(12), tag]).toString('base64')}`).plaintext.length, 0);
});

test('engine ciphertexts decrypt independently with node:crypto (aes128, aes256, chacha20)', async () => {
  for (const type of ['aes128-gcm96', 'aes256-gcm96', 'chacha20-poly1305']) {
    const key = await createKey({ name: 'k', type }, random);
    const { ciphertext, version } = encryptValue(key, b('hello'));
    assert.equal(version, 1);
    assert.match(ciphertext, /^vault:v1:[A-Za-z0-9+/=]+$/);
    const payload = Buffer.from(ciphertext.slice('vault:v1:'.length), 'base64');
    const d = createDecipheriv(KEY_TYPES[type].aead!.cipher as 'aes-256-gcm', key.versions.get(1)!.material.raw, payload.subarray(0, 12), { authTagLength: 16 });
    d.setAuthTag(payload.subarray(payload.length - 16));
    assert.equal(Buffer.concat([d.update(payload.subarray(12, payload.length - 16)), d.final()]).toString(), 'hello');
    assert.equal(decryptValue(key, ciphertext).plaintext.toString(), 'hello');
  }
});

test('HKDF-SHA256 derivation matches RFC 5869 test case 3 (empty salt)', () => {
  const okm = deriveKeyBytes(Buffer.alloc(22, 0x0b), Buffer.alloc(0), 42);
  assert.equal(okm.toString('hex'), '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
});

test('derived keys require a context and use HKDF(key, context)', async () => {
  const key = await createKey({ name: 'd', type: 'aes256-gcm96', derived: true }, random);
  assert.throws(() => encryptValue(key, b('x')), (e: unknown) => e instanceof InvalidRequest && /missing 'context'/.test(e.message));
  const context = b('user-42');
  const { ciphertext } = encryptValue(key, b('secret'), { context });
  assert.throws(() => decryptValue(key, ciphertext), InvalidRequest);
  assert.throws(() => decryptValue(key, ciphertext, { context: b('user-43') }), { message: 'invalid ciphertext: unable to decrypt' });
  const derived = Buffer.from(hkdfSync('sha256', key.versions.get(1)!.material.raw, Buffer.alloc(0), context, 32));
  const payload = Buffer.from(ciphertext.split(':')[2], 'base64');
  const d = createDecipheriv('aes-256-gcm', derived, payload.subarray(0, 12));
  d.setAuthTag(payload.subarray(payload.length - 16));
  assert.equal(Buffer.concat([d.update(payload.subarray(12, payload.length - 16)), d.final()]).toString(), 'secret');
});

test('convergent encryption is deterministic per context and its nonce is HMAC(derived key, plaintext)', async () => {
  const key = await createKey({ name: 'c', type: 'aes256-gcm96', derived: true, convergent: true }, random);
  const ctx = b('ctx-1');
  const a = encryptValue(key, b('same'), { context: ctx }).ciphertext;
  assert.equal(encryptValue(key, b('same'), { context: ctx }).ciphertext, a);
  assert.notEqual(encryptValue(key, b('same'), { context: b('ctx-2') }).ciphertext, a);
  assert.notEqual(encryptValue(key, b('other'), { context: ctx }).ciphertext, a);
  const material = Buffer.from(hkdfSync('sha256', key.versions.get(1)!.material.raw, Buffer.alloc(0), ctx, 64));
  const nonce = createHmac('sha256', material.subarray(32)).update('same').digest().subarray(0, 12);
  const c = createCipheriv('aes-256-gcm', material.subarray(0, 32), nonce);
  const expected = Buffer.concat([nonce, c.update('same'), c.final(), c.getAuthTag()]);
  assert.equal(a, `vault:v1:${expected.toString('base64')}`);
  assert.equal(decryptValue(key, a, { context: ctx }).plaintext.toString(), 'same');
  await assert.rejects(createKey({ name: 'x', type: 'aes256-gcm96', convergent: true }, random), { message: 'convergent encryption requires derivation to be enabled' });
});

test('regression (nonce reuse CVE): a caller-supplied nonce is refused for every key', async () => {
  const nonce = Buffer.alloc(12, 7);
  for (const type of ['aes128-gcm96', 'aes256-gcm96', 'chacha20-poly1305']) {
    const plain = await createKey({ name: 'n', type }, random);
    assert.throws(() => encryptValue(plain, b('x'), { nonce }), (e: unknown) => e instanceof InvalidRequest && e.message === 'nonce provided when not allowed');
    const derived = await createKey({ name: 'n', type, derived: true }, random);
    assert.throws(() => encryptValue(derived, b('x'), { nonce, context: b('c') }), { message: 'nonce provided when not allowed' });
  }
  const convergent = await createKey({ name: 'n', type: 'aes256-gcm96', derived: true, convergent: true }, random);
  assert.throws(() => encryptValue(convergent, b('x'), { nonce, context: b('c') }), { message: 'nonce provided when not allowed' });
});

test('version rules: rotate, key_version, min_decryption_version refuses old ciphertext, min_encryption_version, trim', async () => {
  const key = await createKey({ name: 'v', type: 'aes256-gcm96' }, random);
  const v1 = encryptValue(key, b('one')).ciphertext;
  await rotateKey(key, random);
  await rotateKey(key, random);
  assert.equal(key.latestVersion, 3);
  const v3 = encryptValue(key, b('three'));
  assert.equal(v3.version, 3);
  assert.match(v3.ciphertext, /^vault:v3:/);
  assert.match(encryptValue(key, b('x'), { keyVersion: 2 }).ciphertext, /^vault:v2:/);
  assert.throws(() => encryptValue(key, b('x'), { keyVersion: 4 }), { message: 'requested version for encryption is higher than the latest key version' });
  assert.equal(decryptValue(key, v1).plaintext.toString(), 'one');
  assert.throws(() => decryptValue(key, 'vault:v9:AAAA'), { message: 'invalid ciphertext: version is too new' });

  updateConfig(key, { minDecryptionVersion: 2 });
  assert.throws(() => decryptValue(key, v1), (e: unknown) => e instanceof InvalidRequest && e.message === ERR_TOO_OLD);
  assert.throws(() => updateConfig(key, { minDecryptionVersion: 5 }), { message: 'cannot set min decryption version of 5, latest key version is 3' });
  assert.throws(() => updateConfig(key, { minEncryptionVersion: 1 }), { message: 'min encryption version should not be less than min decryption version' });
  updateConfig(key, { minEncryptionVersion: 3 });
  assert.throws(() => encryptValue(key, b('x'), { keyVersion: 2 }), { message: 'requested version for encryption is less than the minimum encryption key version' });

  assert.throws(() => trimKey(key, 3), { message: 'cannot set minimum available version to a value greater than minimum decryption version' });
  assert.equal(trimKey(key, 2), 1);
  assert.deepEqual([...key.versions.keys()].sort(), [2, 3]);
  assert.throws(() => trimKey(key, 1), { message: 'minimum available version cannot be decremented' });
  assert.throws(() => updateConfig(key, { minDecryptionVersion: 1 }), InvalidRequest);
  assert.equal(decryptValue(key, v3.ciphertext).plaintext.toString(), 'three');
});

test('config: exportable and plaintext backup cannot be turned off; auto-rotate needs an hour', async () => {
  const key = await createKey({ name: 'c', type: 'aes256-gcm96', exportable: true }, random);
  assert.throws(() => updateConfig(key, { exportable: false }), InvalidRequest);
  updateConfig(key, { allowPlaintextBackup: true });
  assert.throws(() => updateConfig(key, { allowPlaintextBackup: false }), InvalidRequest);
  assert.throws(() => updateConfig(key, { autoRotatePeriod: 60 }), { message: 'auto rotate period must be 0 to disable or at least an hour' });
  updateConfig(key, { autoRotatePeriod: 3600 });
  const created = key.versions.get(1)!.createdAt;
  assert.equal(rotationDue(key, new Date(created.getTime() + 3599_000)), false);
  assert.equal(rotationDue(key, new Date(created.getTime() + 3600_000)), true);
});

test('RSA encryption is OAEP-SHA256 (decrypted independently) for every RSA size', async () => {
  for (const type of ['rsa-2048', 'rsa-3072', 'rsa-4096']) {
    const key = await createKey({ name: 'r', type }, random);
    const { ciphertext } = encryptValue(key, b('wrapped'));
    const raw = Buffer.from(ciphertext.split(':')[2], 'base64');
    assert.equal(raw.length, KEY_TYPES[type].rsaBits! / 8);
    const plain = privateDecrypt({ key: key.versions.get(1)!.material.privateKey!, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, raw);
    assert.equal(plain.toString(), 'wrapped');
    assert.equal(decryptValue(key, ciphertext).plaintext.toString(), 'wrapped');
    // Signing with the same key, verified by node:crypto from the exported public key.
    key.exportable = true;
    const pub = createPublicKey(exportKey(key, 'public-key', '1')['1']);
    for (const sigAlgorithm of ['pss', 'pkcs1v15'] as const) {
      const s = signInput(key, b('msg'), { signatureAlgorithm: sigAlgorithm, hashAlgorithm: 'sha2-384' });
      const sig = Buffer.from(s.signature.split(':')[2], 'base64');
      const padding = sigAlgorithm === 'pss' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
      assert.equal(verify('sha384', b('msg'), { key: pub, padding, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig), true, `${type} ${sigAlgorithm}`);
      assert.equal(verifySignature(key, b('msg'), s.signature, { signatureAlgorithm: sigAlgorithm, hashAlgorithm: 'sha2-384' }), true);
      assert.equal(verifySignature(key, b('msh'), s.signature, { signatureAlgorithm: sigAlgorithm, hashAlgorithm: 'sha2-384' }), false);
    }
  }
});

test('ed25519 and ECDSA signatures verify with node:crypto (asn1 and jws marshaling)', async () => {
  const cases: Array<[string, string | null]> = [['ed25519', null], ['ecdsa-p256', 'sha256'], ['ecdsa-p384', 'sha256'], ['ecdsa-p521', 'sha256']];
  for (const [type, hash] of cases) {
    const key = await createKey({ name: 's', type }, random);
    const pubText = exportKey(key, 'public-key', 'latest')['1'];
    const pub = type === 'ed25519'
      ? createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pubText, 'base64').toString('base64url') }, format: 'jwk' })
      : createPublicKey(pubText);
    const asn1 = signInput(key, b('data'));
    assert.equal(verify(hash, b('data'), pub, Buffer.from(asn1.signature.split(':')[2], 'base64')), true, type);
    const jws = signInput(key, b('data'), { marshaling: 'jws' });
    assert.match(jws.signature, /^vault:v1:[A-Za-z0-9_-]+$/);
    assert.equal(verify(hash, b('data'), { key: pub, dsaEncoding: 'ieee-p1363' }, Buffer.from(jws.signature.split(':')[2], 'base64url')), true, type);
    assert.equal(verifySignature(key, b('data'), jws.signature, { marshaling: 'jws' }), true);
    assert.equal(verifySignature(key, b('datA'), asn1.signature), false);
  }
});

test('derived ed25519 signs with a per-context key and returns its public key', async () => {
  const key = await createKey({ name: 'e', type: 'ed25519', derived: true }, random);
  assert.throws(() => signInput(key, b('m')), /missing 'context'/);
  const s = signInput(key, b('m'), { context: b('tenant-a') });
  const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: s.publicKey!.toString('base64url') }, format: 'jwk' });
  assert.equal(verify(null, b('m'), pub, Buffer.from(s.signature.split(':')[2], 'base64')), true);
  assert.equal(verifySignature(key, b('m'), s.signature, { context: b('tenant-b') }), false);
});

test('RSA PKCS#1 v1.5 over a prehashed input verifies as an ordinary signature', async () => {
  const key = await createKey({ name: 'p', type: 'rsa-2048' }, random);
  const digest = createHash('sha256').update('payload').digest();
  const s = signInput(key, digest, { prehashed: true, signatureAlgorithm: 'pkcs1v15' });
  const pub = key.versions.get(1)!.material.publicKey!;
  assert.equal(verify('sha256', b('payload'), { key: pub, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(s.signature.split(':')[2], 'base64')), true);
  assert.equal(verifySignature(key, digest, s.signature, { prehashed: true, signatureAlgorithm: 'pkcs1v15' }), true);
  assert.throws(() => signInput(key, digest, { prehashed: true }), InvalidRequest);
});

test('HMAC matches RFC 4231 test case 6 with an imported hmac key, and verifies', async () => {
  const key = await createKey({ name: 'h', type: 'hmac', exportable: true }, random);
  key.versions.get(1)!.material.raw = Buffer.alloc(131, 0xaa);
  const data = b('Test Using Larger Than Block-Size Key - Hash Key First');
  const out = hmacInput(key, data, 'sha2-256');
  assert.equal(Buffer.from(out.hmac.split(':')[2], 'base64').toString('hex'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  assert.equal(Buffer.from(hmacInput(key, data, 'sha2-512').hmac.split(':')[2], 'base64').toString('hex'),
    '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598');
  assert.equal(verifyHmac(key, data, out.hmac), true);
  assert.equal(verifyHmac(key, b('other'), out.hmac), false);
  assert.equal(exportKey(key, 'hmac-key', '1')['1'], Buffer.alloc(131, 0xaa).toString('base64'));
  assert.throws(() => encryptValue(key, b('x')), InvalidRequest);
});

test('export refuses non-exportable keys and unsupported types', async () => {
  const key = await createKey({ name: 'x', type: 'aes256-gcm96' }, random);
  assert.throws(() => exportKey(key, 'encryption-key'), { message: 'private key material is not exportable' });
  key.exportable = true;
  assert.equal(Buffer.from(exportKey(key, 'encryption-key')['1'], 'base64').length, 32);
  assert.throws(() => exportKey(key, 'signing-key'), InvalidRequest);
  assert.throws(() => exportKey(key, 'bogus'), InvalidRequest);
});

test('stored record and backup round trip every key type; tampered backups are refused', async () => {
  for (const type of Object.keys(KEY_TYPES)) {
    if (type === 'rsa-4096' || type === 'rsa-3072') continue; // same code path as rsa-2048, slow to generate
    const key = await createKey({ name: `k-${type}`, type, exportable: true, allowPlaintextBackup: true }, random);
    await rotateKey(key, random);
    const again = decodeKey(encodeKey(key));
    assert.deepEqual(encodeKey(again), encodeKey(key));
    const restored = decodeBackup(encodeBackup(key));
    assert.equal(restored.latestVersion, 2);
    if (KEY_TYPES[type].encryption) {
      const { ciphertext } = encryptValue(key, b('rt'));
      assert.equal(decryptValue(restored, ciphertext).plaintext.toString(), 'rt');
    }
    if (KEY_TYPES[type].signing) assert.equal(verifySignature(restored, b('m'), signInput(key, b('m')).signature), true);
  }
  assert.throws(() => decodeBackup('bm90IGEgYmFja3Vw'), { message: 'failed to decode backup: not a transit key backup' });
});

test('associated data binds AEAD ciphertexts and is refused for RSA keys', async () => {
  const key = await createKey({ name: 'a', type: 'aes256-gcm96' }, random);
  const { ciphertext } = encryptValue(key, b('x'), { associatedData: b('path/1') });
  assert.equal(decryptValue(key, ciphertext, { associatedData: b('path/1') }).plaintext.toString(), 'x');
  assert.throws(() => decryptValue(key, ciphertext, { associatedData: b('path/2') }), { message: 'invalid ciphertext: unable to decrypt' });
  assert.throws(() => decryptValue(key, ciphertext), { message: 'invalid ciphertext: unable to decrypt' });
  const rsa = await createKey({ name: 'r', type: 'rsa-2048' }, random);
  assert.throws(() => encryptValue(rsa, b('x'), { associatedData: b('p') }), { message: 'associated_data is not supported for key type rsa-2048' });
});
