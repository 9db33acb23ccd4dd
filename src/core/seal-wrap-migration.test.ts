import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { IntegrityError } from '../errors.js';
import { createInmemStorage } from '../storage/inmem.js';
import type { Storage, TxOperation } from '../storage/types.js';
import { createAesGcmBarrier } from '../barrier/aes-gcm-barrier.js';
import { isSealWrapped, withSealWrap } from '../barrier/seal-wrap.js';
import type { SealWrapper } from '../seal/types.js';
import { rewrapSealWrapped } from './seal-wrap-migration.js';

/** A stand-in seal: AES-256-GCM under its own key. */
function fakeWrapper(): SealWrapper {
  const key = randomBytes(32);
  return {
    async encrypt(plaintext, aad) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      if (aad) c.setAAD(aad);
      return Buffer.concat([iv, c.update(plaintext), c.final(), c.getAuthTag()]);
    },
    async decrypt(blob, aad) {
      const b = Buffer.from(blob);
      try {
        const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
        if (aad) d.setAAD(aad);
        d.setAuthTag(b.subarray(b.length - 16));
        return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]);
      } catch {
        throw new IntegrityError();
      }
    },
  };
}

async function apply(storage: Storage, ops: TxOperation[]): Promise<void> {
  for (const op of ops) if (op.op === 'put') await storage.put(op.key, op.value); else await storage.delete(op.key);
}

async function setup() {
  const storage = createInmemStorage();
  const rootKey = randomBytes(32);
  const barrier = createAesGcmBarrier(storage);
  await barrier.initialize(rootKey);
  await barrier.unseal(rootKey);
  const oldWrapper = fakeWrapper();
  const wrapped = withSealWrap(barrier, { wrapper: () => oldWrapper, isCritical: (p) => p.startsWith('logical/w/') });
  await wrapped.put('logical/w/a', Buffer.from('alpha'));
  await wrapped.put('logical/w/deep/b', Buffer.from('bravo'));
  await wrapped.put('logical/p/c', Buffer.from('charlie'));
  return { storage, rootKey, barrier, oldWrapper };
}

test('re-wraps every seal-wrapped entry under the new seal, leaves plain entries, writes nothing itself', async () => {
  const { storage, rootKey, barrier, oldWrapper } = await setup();
  const newWrapper = fakeWrapper();
  const before = await storage.get('logical/w/a');
  const { ops, count } = await rewrapSealWrapped({ physical: storage, rootKey, oldWrapper, newWrapper });
  assert.equal(count, 2);
  assert.deepEqual(await storage.get('logical/w/a'), before, 'nothing written before the ops are applied');
  assert.deepEqual(ops.filter((o) => o.op === 'put' && o.key.startsWith('logical/')).map((o) => o.key).sort(), ['logical/w/a', 'logical/w/deep/b']);
  await apply(storage, ops);
  const reader = withSealWrap(barrier, { wrapper: () => newWrapper, isCritical: () => false });
  assert.equal((await reader.get('logical/w/a'))!.toString(), 'alpha');
  assert.equal((await reader.get('logical/w/deep/b'))!.toString(), 'bravo');
  assert.equal((await reader.get('logical/p/c'))!.toString(), 'charlie');
  const byOld = withSealWrap(barrier, { wrapper: () => oldWrapper, isCritical: () => false });
  await assert.rejects(byOld.get('logical/w/a'), IntegrityError);
});

test('to Shamir (no new wrapper): entries are stored unwrapped', async () => {
  const { storage, rootKey, barrier, oldWrapper } = await setup();
  const { ops, count } = await rewrapSealWrapped({ physical: storage, rootKey, oldWrapper, newWrapper: undefined });
  assert.equal(count, 2);
  await apply(storage, ops);
  const raw = (await barrier.get('logical/w/a'))!;
  assert.equal(isSealWrapped(raw), false);
  assert.equal(raw.toString(), 'alpha');
});

test('an interrupted run resumes: entries already under the new seal are left alone; a foreign seal fails', async () => {
  const { storage, rootKey, oldWrapper } = await setup();
  const newWrapper = fakeWrapper();
  const first = await rewrapSealWrapped({ physical: storage, rootKey, oldWrapper, newWrapper });
  await apply(storage, first.ops.filter((o) => o.key === 'logical/w/a')); // crash after one entry
  const second = await rewrapSealWrapped({ physical: storage, rootKey, oldWrapper, newWrapper });
  assert.equal(second.count, 1);
  await assert.rejects(rewrapSealWrapped({ physical: storage, rootKey, oldWrapper: fakeWrapper(), newWrapper: fakeWrapper() }), IntegrityError);
});
