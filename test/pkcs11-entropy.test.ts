/**
 * Entropy augmentation: with `entropy "seal" { mode = "augmentation" }` key generation draws on
 * the HSM's C_GenerateRandom (mixed with the system CSPRNG); if the HSM generator fails, key
 * generation fails loudly instead of falling back to system entropy alone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpstreamError } from '../src/errors.js';
import { parsePkcs11Config } from '../src/seal/pkcs11/config.js';
import { createPkcs11Seal } from '../src/seal/pkcs11/seal.js';
import { pkcs11js } from '../src/seal/pkcs11/module.js';
import { randomBytesFor } from '../src/core/seal-entropy.js';
import { startDurableServer } from './support/server.js';
import { createSoftHsmToken, requireSoftHsm } from './support/softhsm.js';

const skip = requireSoftHsm('pkcs11 entropy augmentation');
type Proto = { C_GenerateRandom: (...a: unknown[]) => unknown };

function spyRandom(fail: () => boolean) {
  const proto = pkcs11js().PKCS11.prototype as unknown as Proto;
  const original = proto.C_GenerateRandom;
  const sizes: number[] = [];
  proto.C_GenerateRandom = function (this: unknown, ...args: unknown[]) {
    sizes.push((args[1] as Buffer).length);
    if (fail()) throw new Error('CKR_FUNCTION_FAILED:6');
    return original.apply(this, args);
  };
  return { sizes, restore: () => { proto.C_GenerateRandom = original; } };
}

describe('entropy augmentation through seal "pkcs11"', { skip }, () => {
  test('key generation consults C_GenerateRandom; a failing generator fails key generation', async () => {
    const token = createSoftHsmToken();
    const seal = createPkcs11Seal(parsePkcs11Config(token.sealOptions(), {}));
    let failing = false;
    const spy = spyRandom(() => failing);
    try {
      await seal.init();
      const augmented = randomBytesFor({ entropy: { mode: 'augmentation', sealType: 'pkcs11' } }, seal);
      const plain = randomBytesFor({}, seal);
      spy.sizes.length = 0;
      const key = await augmented(32);
      assert.equal(key.length, 32);
      assert.deepEqual(spy.sizes, [32]);
      await plain(32);
      assert.deepEqual(spy.sizes, [32], 'without augmentation the HSM is not asked');
      failing = true;
      await assert.rejects(augmented(32), (err: unknown) => err instanceof UpstreamError && err.message === 'entropy augmentation source failed');
    } finally {
      spy.restore();
      await seal.close();
    }
    token.remove();
  });

  test('a server with augmentation draws its root key and keyring from the HSM, and refuses init when it fails', async () => {
    const token = createSoftHsmToken();
    const seals = [{ type: 'pkcs11', disabled: false, options: token.sealOptions() }];
    const entropy = { mode: 'augmentation' as const, sealType: 'pkcs11' };
    let failing = false;
    const spy = spyRandom(() => failing);
    try {
      const node = await startDurableServer(mkdtempSync(join(tmpdir(), 'arca-entropy-')), { seals, entropy });
      try {
        spy.sizes.length = 0;
        assert.equal((await node.api.call('PUT', 'sys/init', { recovery_shares: 3, recovery_threshold: 2 })).status, 200);
        // 32-byte requests besides the 12-byte GCM IVs: root key, keyring term, recovery key.
        assert.ok(spy.sizes.filter((n) => n === 32).length >= 3, JSON.stringify(spy.sizes));
      } finally {
        await node.close();
      }
      const broken = await startDurableServer(mkdtempSync(join(tmpdir(), 'arca-entropy-')), { seals, entropy });
      try {
        failing = true;
        const init = await broken.api.call('PUT', 'sys/init', { recovery_shares: 3, recovery_threshold: 2 });
        assert.ok(init.status >= 500, init.text);
        assert.equal((await broken.api.call('GET', 'sys/init')).json.initialized, false);
      } finally {
        failing = false;
        await broken.close();
      }
    } finally {
      spy.restore();
    }
    token.remove();
  });
});
