import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { IntegrityError, UpstreamError } from '../errors.js';
import { decodeWrapperBlob, encodeWrapperBlob, WRAPPER_MECHANISMS } from './wrapper-blob.js';
import { createEnvelopeSeal, networkCode, type KmsBackend, type KmsFailure } from './envelope.js';

/** A fake KMS: AES-256-GCM under a local key; `script` makes the next calls fail. */
function fakeKms() {
  const kek = randomBytes(32);
  const script: unknown[] = [];
  let calls = 0;
  const maybeFail = () => {
    calls++;
    const next = script.shift();
    if (next) throw next;
  };
  const backend: KmsBackend = {
    async check() { maybeFail(); },
    async wrap(dataKey) {
      maybeFail();
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', kek, iv);
      return { keyId: 'key/v1', wrappedKey: Buffer.concat([iv, c.update(dataKey), c.final(), c.getAuthTag()]) };
    },
    async unwrap(keyId, wrapped) {
      maybeFail();
      if (keyId !== 'key/v1') throw { kind: 'not_found' };
      try {
        const d = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, 12));
        d.setAuthTag(wrapped.subarray(wrapped.length - 16));
        return Buffer.concat([d.update(wrapped.subarray(12, wrapped.length - 16)), d.final()]);
      } catch {
        throw { kind: 'invalid_ciphertext' };
      }
    },
  };
  return { backend, script, calls: () => calls };
}

const classify = (err: unknown): KmsFailure => ({ kind: (err as any).kind ?? 'other', code: (err as any).code ?? 'X' });
const sleeps: number[] = [];
const make = (backend: KmsBackend) => createEnvelopeSeal({ type: 'awskms', service: 'Test KMS', backend, classify, retry: { attempts: 3, baseDelayMs: 10 }, sleep: async (ms) => { sleeps.push(ms); } });

describe('envelope seal', () => {
  test('round trip with AAD; blob layout: key id, aes256Gcm, 12-byte IV, wrapped data key, ciphertext ‖ tag', async () => {
    const kms = fakeKms();
    const seal = make(kms.backend);
    await seal.init();
    const blob = await seal.wrapper().encrypt(Buffer.from('secret'), Buffer.from('aad'));
    const parsed = decodeWrapperBlob(blob);
    assert.equal(parsed.keyId, 'key/v1');
    assert.equal(parsed.mechanism, WRAPPER_MECHANISMS.aes256Gcm);
    assert.equal(parsed.iv.length, 12);
    assert.equal(parsed.wrappedKey.length, 12 + 32 + 16);
    assert.equal(parsed.ciphertext.length, 6 + 16);
    assert.deepEqual(Buffer.from(await seal.wrapper().decrypt(blob, Buffer.from('aad'))), Buffer.from('secret'));
    await assert.rejects(seal.wrapper().decrypt(blob), IntegrityError);
  });

  test('malformed blobs are the one IntegrityError before any KMS call', async () => {
    const kms = fakeKms();
    const seal = make(kms.backend);
    const good = decodeWrapperBlob(await seal.wrapper().encrypt(Buffer.from('x')));
    const before = kms.calls();
    for (const bad of [
      { ...good, mechanism: 2 },
      { ...good, iv: Buffer.alloc(11) },
      { ...good, wrappedKey: Buffer.alloc(0) },
      { ...good, ciphertext: Buffer.alloc(15) },
      { ...good, keyId: '' },
    ]) await assert.rejects(seal.wrapper().decrypt(encodeWrapperBlob(bad)), IntegrityError);
    assert.equal(kms.calls(), before);
    await assert.rejects(seal.wrapper().decrypt(Buffer.from([1, 2, 3])), IntegrityError);
    await assert.rejects(seal.wrapper().decrypt(encodeWrapperBlob({ ...good, wrappedKey: randomBytes(60) })), IntegrityError);
  });

  test('throttling and network faults are retried with doubling backoff; the rest fail at once', async () => {
    const kms = fakeKms();
    const seal = make(kms.backend);
    sleeps.length = 0;
    kms.script.push({ kind: 'throttled', code: 'Slow' }, { kind: 'network', code: 'ECONNRESET' });
    await seal.init();
    assert.deepEqual(sleeps, [10, 20]);
    kms.script.push(...Array(3).fill({ kind: 'network', code: 'ECONNREFUSED' }));
    await assert.rejects(seal.wrapper().encrypt(Buffer.from('x')), (e: unknown) => e instanceof UpstreamError &&
      e.message === 'awskms seal: cannot reach Test KMS (ECONNREFUSED); gave up after 3 attempts');
    for (const [kind, message] of [
      ['denied', 'awskms seal: access to the Test KMS key was denied (X)'],
      ['disabled', 'awskms seal: the Test KMS key is disabled (X)'],
      ['not_found', 'awskms seal: the Test KMS key was not found (X)'],
      ['other', 'awskms seal: Test KMS request failed (X)'],
    ]) {
      const before = kms.calls();
      kms.script.push({ kind });
      await assert.rejects(seal.wrapper().encrypt(Buffer.from('x')), { message });
      assert.equal(kms.calls() - before, 1, kind);
    }
  });

  test('a closed seal refuses work; networkCode finds codes on causes', async () => {
    const seal = make(fakeKms().backend);
    await seal.close();
    assert.throws(() => seal.wrapper(), /the seal is closed/);
    assert.equal(networkCode(new Error('x', { cause: Object.assign(new Error('y'), { code: 'ECONNREFUSED' }) })), 'ECONNREFUSED');
    assert.equal(networkCode({ errors: [{ code: 'ETIMEDOUT' }] }), 'ETIMEDOUT');
    assert.equal(networkCode(new Error('plain')), undefined);
  });
});
