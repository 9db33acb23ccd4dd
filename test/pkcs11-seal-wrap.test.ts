/**
 * Seal wrapping: a critical entry is encrypted by the HSM inside the barrier encryption. Read
 * through the barrier key alone (no seal), its stored value is still HSM ciphertext; moved to
 * another path it does not open; plain entries are unaffected.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { IntegrityError } from '../src/errors.js';
import { createInmemStorage } from '../src/storage/inmem.js';
import { createAesGcmBarrier } from '../src/barrier/aes-gcm-barrier.js';
import { isSealWrapped, sealWrapMatcher, SEAL_WRAP_MAGIC, withSealWrap } from '../src/barrier/seal-wrap.js';
import { parsePkcs11Config } from '../src/seal/pkcs11/config.js';
import { createPkcs11Seal } from '../src/seal/pkcs11/seal.js';
import { decodeWrapperBlob } from '../src/seal/wrapper-blob.js';
import { createSoftHsmToken, requireSoftHsm } from './support/softhsm.js';

const skip = requireSoftHsm('pkcs11 seal wrapping');

describe('seal wrapping with seal "pkcs11"', { skip }, () => {
  test('a wrapped entry cannot be opened with the barrier key alone', async () => {
    const token = createSoftHsmToken();
    const seal = createPkcs11Seal(parsePkcs11Config(token.sealOptions(), {}));
    try {
      await seal.init();
      const storage = createInmemStorage();
      const rootKey = randomBytes(32);
      const inner = createAesGcmBarrier(storage);
      await inner.initialize(rootKey);
      await inner.unseal(rootKey);
      const barrier = withSealWrap(inner, { wrapper: () => seal.wrapper(), isCritical: sealWrapMatcher(['logical/kv1/', 'core/exact']) });
      const view = barrier.view('logical/kv1/');
      const secret = Buffer.from(JSON.stringify({ password: 'hunter2' }));
      await view.put('app', secret);
      await barrier.put('logical/other/app', secret);
      await barrier.put('core/exact', Buffer.from('critical'));
      assert.deepEqual(await view.get('app'), secret);
      assert.deepEqual(await barrier.get('core/exact'), Buffer.from('critical'));

      // The barrier key alone (a barrier over the same storage, no seal): HSM ciphertext only.
      const alone = createAesGcmBarrier(storage);
      await alone.unseal(rootKey);
      const raw = (await alone.get('logical/kv1/app'))!;
      assert.equal(isSealWrapped(raw), true);
      assert.equal(raw.includes(Buffer.from('hunter2')), false);
      const blob = decodeWrapperBlob(raw.subarray(SEAL_WRAP_MAGIC.length));
      assert.equal(blob.mechanism, 0x1087);
      assert.match(blob.keyId, /^arca-root:/);
      assert.deepEqual(await alone.get('logical/other/app'), secret, 'uncritical entries are not wrapped');
      // Physical storage has neither the plaintext nor the HSM blob in clear.
      const physical = (await storage.get('logical/kv1/app'))!;
      assert.equal(physical.includes(Buffer.from('hunter2')), false);

      // Moved to another critical path, the wrapped value does not open.
      await alone.put('logical/kv1/moved', raw);
      await assert.rejects(view.get('moved'), IntegrityError);
      // Without the seal there is no way in.
      const noSeal = withSealWrap(alone, { wrapper: () => undefined, isCritical: () => true });
      await assert.rejects(noSeal.get('logical/kv1/app'), /seal-wrapped entry found/);
    } finally {
      await seal.close();
      token.remove();
    }
  });
});
