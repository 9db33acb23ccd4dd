/**
 * Regression for the AES-CBC padding oracle (Vault Enterprise advisory, 2023): with
 * CKM_AES_CBC_PAD the seal is encrypt-then-MAC with an HSM HMAC key, the MAC is verified before
 * any decryption, and a tampered blob fails with the same IntegrityError whether or not its
 * padding would have been valid.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IntegrityError } from '../src/errors.js';
import { parsePkcs11Config } from '../src/seal/pkcs11/config.js';
import { createPkcs11Seal } from '../src/seal/pkcs11/seal.js';
import { pkcs11js } from '../src/seal/pkcs11/module.js';
import { decodeWrapperBlob, encodeWrapperBlob } from '../src/seal/wrapper-blob.js';
import { createSoftHsmToken, requireSoftHsm } from './support/softhsm.js';

const skip = requireSoftHsm('pkcs11 AES-CBC padding oracle');

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (e: unknown) => e);
}

describe('seal "pkcs11" with CKM_AES_CBC_PAD', { skip }, () => {
  test('round trip; every tampering fails closed with one error; no decryption before the MAC', async () => {
    const token = createSoftHsmToken();
    const seal = createPkcs11Seal(parsePkcs11Config(token.sealOptions({ mechanism: 'CKM_AES_CBC_PAD', hmac_key_label: 'arca-hmac' }), {}));
    const proto = pkcs11js().PKCS11.prototype as unknown as { C_DecryptInit: (...a: unknown[]) => unknown };
    const original = proto.C_DecryptInit;
    let decrypts = 0;
    proto.C_DecryptInit = function (this: unknown, ...args: unknown[]) { decrypts++; return original.apply(this, args); };
    try {
      await seal.init();
      const aad = Buffer.from('core/hsm/barrier-unseal-keys');
      const secret = Buffer.alloc(32, 0x42); // two full blocks: padding is a whole extra block
      const blob = await seal.wrapper().encrypt(secret, aad);
      const parsed = decodeWrapperBlob(blob);
      assert.equal(parsed.mechanism, 0x1085);
      assert.equal(parsed.iv.length, 16);
      assert.match(parsed.keyId, /^arca-root:[0-9a-f]+\nhmac=arca-hmac:[0-9a-f]+$/);
      assert.equal(parsed.ciphertext.length, 48 + 32);
      assert.deepEqual(await seal.wrapper().decrypt(blob, aad), secret);

      decrypts = 0;
      const body = parsed.ciphertext.subarray(0, 48);
      const mac = parsed.ciphertext.subarray(48);
      const variants: Array<[string, Buffer]> = [];
      // The classic probe: flip bytes of the block before the last so the padding changes.
      for (const delta of [0x00 ^ 0x01, 0x10 ^ 0x01, 0x10 ^ 0x02]) {
        const ct = Buffer.from(body);
        ct[47 - 16] ^= delta; // last byte of the second-to-last block → last plaintext byte
        variants.push([`padding probe ${delta}`, encodeWrapperBlob({ ...parsed, ciphertext: Buffer.concat([ct, mac]) })]);
      }
      const early = Buffer.from(body);
      early[0] ^= 0x80; // padding stays valid, content changes
      variants.push(['valid padding, altered first block', encodeWrapperBlob({ ...parsed, ciphertext: Buffer.concat([early, mac]) })]);
      const iv = Buffer.from(parsed.iv);
      iv[15] ^= 1;
      variants.push(['altered iv', encodeWrapperBlob({ ...parsed, iv })]);
      const badMac = Buffer.from(mac);
      badMac[0] ^= 1;
      variants.push(['altered mac', encodeWrapperBlob({ ...parsed, ciphertext: Buffer.concat([body, badMac]) })]);
      variants.push(['truncated', encodeWrapperBlob({ ...parsed, ciphertext: Buffer.concat([body.subarray(0, 32), mac]) })]);
      variants.push(['other key id', encodeWrapperBlob({ ...parsed, keyId: parsed.keyId.replace('arca-root', 'arca-root-x') })]);
      const messages = new Set<string>();
      for (const [name, forged] of variants) {
        const err = await failure(seal.wrapper().decrypt(forged, aad));
        if (name === 'other key id') {
          assert.ok(err instanceof Error, name); // names a key that is not there
          continue;
        }
        assert.ok(err instanceof IntegrityError, `${name}: ${String(err)}`);
        messages.add(err.message);
      }
      assert.deepEqual([...messages], ['integrity check failed']);
      assert.ok(await failure(seal.wrapper().decrypt(blob, Buffer.from('other path'))) instanceof IntegrityError);
      assert.equal(decrypts, 0, 'no C_DecryptInit for a blob whose MAC fails');
    } finally {
      proto.C_DecryptInit = original;
      await seal.close();
      token.remove();
    }
  });
});
