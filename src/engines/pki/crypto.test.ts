import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { colonSerial, generateKeyPair, newSerialHex, privateKeyOutput, resolveKeySpec } from './crypto.js';

describe('pki key material', () => {
  it('resolves key types and sizes from the table', () => {
    assert.deepEqual(resolveKeySpec('rsa', 0), { type: 'rsa', bits: 2048 });
    assert.deepEqual(resolveKeySpec('ec', 0), { type: 'ec', bits: 256 });
    assert.deepEqual(resolveKeySpec('ec', 384), { type: 'ec', bits: 384 });
    assert.deepEqual(resolveKeySpec('ed25519', 0), { type: 'ed25519', bits: 0 });
    assert.throws(() => resolveKeySpec('rsa', 1024), InvalidRequest);
    assert.throws(() => resolveKeySpec('ec', 255), InvalidRequest);
    assert.throws(() => resolveKeySpec('dsa', 0), InvalidRequest);
  });

  it('makes positive 20-byte serials from the given random source and normalises serial forms', async () => {
    const serial = await newSerialHex(async (n) => Buffer.alloc(n, 0xff));
    assert.equal(serial, `7f${'ff'.repeat(19)}`);
    assert.equal(await newSerialHex(async (n) => Buffer.alloc(n, 0)), `01${'00'.repeat(19)}`);
    assert.equal(colonSerial('0A1B2C'), '0a:1b:2c');
    assert.equal(colonSerial('0a-1b-2c'), '0a:1b:2c');
    assert.equal(colonSerial('a1b2c'), '0a:1b:2c');
    assert.throws(() => colonSerial('zz'), InvalidRequest);
  });

  it('exports private keys in the traditional and PKCS#8 forms', async () => {
    const ec = await generateKeyPair('ec', 256);
    assert.match(privateKeyOutput(ec.spec, 'pem'), /^-----BEGIN EC PRIVATE KEY-----/);
    assert.match(privateKeyOutput(ec.spec, 'pkcs8'), /^-----BEGIN PRIVATE KEY-----/);
    const der = Buffer.from(privateKeyOutput(ec.spec, 'der'), 'base64');
    assert.equal(createPrivateKey({ key: der, format: 'der', type: 'sec1' }).asymmetricKeyType, 'ec');
    const ed = await generateKeyPair('ed25519', 0);
    assert.match(privateKeyOutput(ed.spec, 'pem'), /^-----BEGIN PRIVATE KEY-----/);
  });
});
