/**
 * seal "pkcs11" against real SoftHSM2 tokens: each mechanism round-trips, tampering fails
 * closed, every HSM fault is a typed one-line error without the PIN, a wrong PIN is tried once,
 * lost sessions are reopened, and blobs made before a key rotation still open.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IntegrityError, InvalidRequest } from '../src/errors.js';
import { parsePkcs11Config } from '../src/seal/pkcs11/config.js';
import { createPkcs11Seal, type Pkcs11Seal } from '../src/seal/pkcs11/seal.js';
import { HsmError } from '../src/seal/pkcs11/errors.js';
import { pkcs11js } from '../src/seal/pkcs11/module.js';
import { decodeWrapperBlob, encodeWrapperBlob } from '../src/seal/wrapper-blob.js';
import { createSoftHsmToken, requireSoftHsm, type SoftHsmToken } from './support/softhsm.js';

const skip = requireSoftHsm('pkcs11 seal');

async function withSeal(token: SoftHsmToken, extra: Record<string, string>, fn: (seal: Pkcs11Seal) => Promise<void>): Promise<void> {
  const seal = createPkcs11Seal(parsePkcs11Config(token.sealOptions(extra), {}));
  try {
    await fn(seal);
  } finally {
    await seal.close();
  }
}

async function rejectsWith(promise: Promise<unknown>, fault: HsmError['fault'], pin: string): Promise<HsmError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof HsmError, `expected HsmError, got ${String(err)}`);
  assert.equal(err.fault, fault);
  assert.equal(err.message.includes('\n'), false);
  assert.equal(err.message.includes(pin), false);
  return err;
}

describe('seal "pkcs11" on SoftHSM2', { skip }, () => {
  test('AES-GCM (default): round trip with AAD; the blob names the key and CKM_AES_GCM', async () => {
    const token = createSoftHsmToken();
    await withSeal(token, {}, async (seal) => {
      await seal.init();
      assert.equal(seal.type, 'pkcs11');
      assert.equal(seal.autoUnseal, true);
      const aad = Buffer.from('core/hsm/barrier-unseal-keys');
      const blob = await seal.wrapper().encrypt(Buffer.from('root key bytes'), aad);
      const parsed = decodeWrapperBlob(blob);
      assert.equal(parsed.mechanism, 0x1087);
      assert.match(parsed.keyId, /^arca-root:[0-9a-f]{8}$/);
      assert.equal(parsed.iv.length, 12);
      assert.deepEqual(await seal.wrapper().decrypt(blob, aad), Buffer.from('root key bytes'));
      await assert.rejects(seal.wrapper().decrypt(blob, Buffer.from('elsewhere')), IntegrityError);
      const flipped = Buffer.from(blob);
      flipped[flipped.length - 1] ^= 1;
      await assert.rejects(seal.wrapper().decrypt(flipped, aad), IntegrityError);
      await assert.rejects(seal.wrapper().decrypt(blob.subarray(0, 10), aad), IntegrityError);
      const random = await seal.random(32);
      assert.equal(random.length, 32);
    });
    token.remove();
  });

  test('the generated key is a sensitive, non-extractable token object', async () => {
    const token = createSoftHsmToken();
    await withSeal(token, {}, async (seal) => { await seal.init(); });
    const p = pkcs11js();
    const api = new p.PKCS11();
    api.load(token.lib);
    api.C_Initialize();
    try {
      const slot = api.C_GetSlotList(true)[0];
      const s = api.C_OpenSession(slot, p.CKF_SERIAL_SESSION);
      api.C_Login(s, p.CKU_USER, token.pin);
      api.C_FindObjectsInit(s, [{ type: p.CKA_LABEL, value: 'arca-root' }]);
      const [key] = api.C_FindObjects(s, 2);
      api.C_FindObjectsFinal(s);
      const attrs = api.C_GetAttributeValue(s, key, [{ type: p.CKA_SENSITIVE }, { type: p.CKA_EXTRACTABLE }, { type: p.CKA_TOKEN }]);
      assert.deepEqual(attrs.map((a) => a.value?.toString('hex')), ['01', '00', '01']);
    } finally {
      api.C_Finalize();
    }
    token.remove();
  });

  test('RSA-OAEP envelope, encrypted on the HSM and with the exported public key', async () => {
    const token = createSoftHsmToken();
    // SoftHSM 2.6 implements OAEP with SHA-1 only.
    for (const local of ['false', 'true']) {
      await withSeal(token, { mechanism: 'RSA_PKCS_OAEP', key_label: `rsa-${local}`, rsa_oaep_hash: 'sha1', rsa_encrypt_local: local }, async (seal) => {
        await seal.init();
        const blob = await seal.wrapper().encrypt(Buffer.alloc(600, 7), Buffer.from('aad'));
        const parsed = decodeWrapperBlob(blob);
        assert.equal(parsed.mechanism, 0x0009);
        assert.equal(parsed.wrappedKey.length, 256);
        assert.match(parsed.keyId, /\noaep=sha1$/);
        assert.deepEqual(await seal.wrapper().decrypt(blob, Buffer.from('aad')), Buffer.alloc(600, 7));
        const forged = encodeWrapperBlob({ ...parsed, wrappedKey: Buffer.alloc(256, 1) });
        await assert.rejects(seal.wrapper().decrypt(forged, Buffer.from('aad')), IntegrityError);
      });
    }
    token.remove();
  });

  test('a rotated key (new label) still opens old blobs; new blobs name the new key', async () => {
    const token = createSoftHsmToken();
    let old: Uint8Array = Buffer.alloc(0);
    await withSeal(token, { key_label: 'key-a' }, async (seal) => {
      await seal.init();
      old = await seal.wrapper().encrypt(Buffer.from('secret'), Buffer.from('p'));
    });
    await withSeal(token, { key_label: 'key-b' }, async (seal) => {
      await seal.init();
      assert.deepEqual(await seal.wrapper().decrypt(old, Buffer.from('p')), Buffer.from('secret'));
      assert.match(seal.keyIdOf(old), /^key-a:/);
      assert.match(seal.currentKeyId()!, /^key-b:/);
      const fresh = await seal.wrapper().encrypt(Buffer.from('secret'), Buffer.from('p'));
      assert.match(seal.keyIdOf(fresh), /^key-b:/);
    });
    token.remove();
  });

  test('key_id selects the key instead of a label', async () => {
    const token = createSoftHsmToken();
    await withSeal(token, { key_label: 'by-id', key_id: '0x0a0b0c' }, async (seal) => {
      await seal.init();
      assert.equal(seal.currentKeyId(), 'by-id:0a0b0c');
    });
    const config = parsePkcs11Config({ lib: token.lib, token_label: token.label, pin: token.pin, key_id: '0a0b0c' }, {});
    const seal = createPkcs11Seal(config);
    try {
      await seal.init();
      assert.equal(seal.currentKeyId(), 'by-id:0a0b0c');
    } finally {
      await seal.close();
    }
    token.remove();
  });

  test('faults: library missing, token absent, key missing without generate_key, wrong PIN', async () => {
    const token = createSoftHsmToken();
    const base = token.sealOptions();
    const make = (o: Record<string, string>) => createPkcs11Seal(parsePkcs11Config({ ...base, ...o }, {}));

    const noLib = make({ lib: '/nonexistent/libpkcs11.so' });
    await rejectsWith(noLib.init(), 'library_missing', token.pin);
    await noLib.close();

    const noToken = make({ token_label: 'no-such-token' });
    const absent = await rejectsWith(noToken.init(), 'token_absent', token.pin);
    assert.match(absent.message, /no-such-token/);
    await noToken.close();

    const noKey = make({ key_label: 'missing', generate_key: 'false' });
    const missing = await rejectsWith(noKey.init(), 'key_missing', token.pin);
    assert.equal(missing.message, 'pkcs11: no key with label "missing" on the token (set generate_key = "true" to create it)');
    await noKey.close();

    // A wrong PIN is sent to the device once; later calls fail without another C_Login.
    const proto = pkcs11js().PKCS11.prototype as unknown as { C_Login: (...a: unknown[]) => unknown };
    const original = proto.C_Login;
    let logins = 0;
    proto.C_Login = function (this: unknown, ...args: unknown[]) { logins++; return original.apply(this, args); };
    try {
      const wrongPin = make({ pin: '9999' });
      const err = await rejectsWith(wrongPin.init(), 'pin_incorrect', '9999');
      assert.match(err.message, /CKR_PIN_INCORRECT/);
      await rejectsWith(wrongPin.init(), 'pin_incorrect', '9999');
      await rejectsWith(wrongPin.wrapper().decrypt(Buffer.from([1]), undefined).then(() => undefined, (e: unknown) => { if (e instanceof IntegrityError) return wrongPin.random(4); throw e; }), 'pin_incorrect', '9999');
      assert.equal(logins, 1);
      await wrongPin.close();
    } finally {
      proto.C_Login = original;
    }
    token.remove();
  });

  test('a session closed under the seal (C_CloseAllSessions) is reopened without a restart', async () => {
    const token = createSoftHsmToken();
    await withSeal(token, { max_parallel: '2' }, async (seal) => {
      await seal.init();
      const blob = await seal.wrapper().encrypt(Buffer.from('x'), undefined);
      const p = pkcs11js();
      const other = new p.PKCS11();
      other.load(token.lib);
      try { other.C_Initialize(); } catch { /* already initialised in this process */ }
      for (const slot of other.C_GetSlotList(true)) other.C_CloseAllSessions(slot);
      assert.deepEqual(await seal.wrapper().decrypt(blob, undefined), Buffer.from('x'));
      assert.equal((await seal.random(8)).length, 8);
    });
    token.remove();
  });

  test('config: env fallbacks, mechanism names, pin_file permissions, no PIN in errors', () => {
    const env = { VAULT_HSM_LIB: '/lib.so', BAO_HSM_TOKEN_LABEL: 't', ARCA_HSM_PIN: 'secret-pin', VAULT_HSM_KEY_LABEL: 'k' };
    const c = parsePkcs11Config({}, env);
    assert.equal(c.lib, '/lib.so');
    assert.equal(c.tokenLabel, 't');
    assert.equal(c.pin, 'secret-pin');
    assert.equal(c.mechanism.name, 'CKM_AES_GCM');
    assert.equal(parsePkcs11Config({ key_label: 'own' }, env).keyLabel, 'own');
    for (const name of ['CKM_AES_GCM', 'AES_GCM', '0x1087', '4231']) assert.equal(parsePkcs11Config({ mechanism: name }, env).mechanism.value, 0x1087);
    assert.equal(parsePkcs11Config({ slot: '2305843009213693953' }, { ...env, BAO_HSM_TOKEN_LABEL: undefined }).slot, 0x2000000000000001n);
    assert.throws(() => parsePkcs11Config({ mechanism: 'CKM_DES_CBC' }, env), InvalidRequest);
    assert.throws(() => parsePkcs11Config({ mechanism: 'AES_CBC_PAD' }, env), /needs hmac_key_label/);
    assert.throws(() => parsePkcs11Config({ slot: '0x1' }, env), /decimal/);
    const files = (mode: number) => ({ mode: () => mode, read: () => 'file-pin\n' });
    const { ARCA_HSM_PIN: _, ...noPin } = env;
    assert.equal(parsePkcs11Config({ pin_file: '/p' }, noPin, files(0o100600)).pin, 'file-pin');
    const err = (() => { try { parsePkcs11Config({ pin_file: '/p' }, noPin, files(0o100644)); } catch (e) { return e as Error; } })();
    assert.ok(err instanceof InvalidRequest);
    assert.equal(err.message, 'seal "pkcs11": pin_file /p must not be accessible by group or others (chmod 600)');
    assert.throws(() => parsePkcs11Config({ bogus: 'x' }, env), /unknown parameter bogus/);
  });
});
