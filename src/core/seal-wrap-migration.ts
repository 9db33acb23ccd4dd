/**
 * Seal migration's share of seal wrapping: every seal-wrapped entry (SEAL_WRAP_MAGIC inside the
 * barrier encryption) is opened with the old seal and either wrapped again by the new seal or,
 * when the new seal is Shamir (which does not seal-wrap), stored plain. The result is a list of
 * storage operations for the migration's one transaction: nothing is written here. A barrier over
 * a capturing view of physical storage does the barrier encryption, so the entries come out
 * exactly as the running barrier would have written them. On storage without transactions the
 * migration writes these before the seal config flips; a run interrupted there resumes (entries
 * already re-wrapped open with the new seal and are left alone; unwrapped ones carry no magic).
 */
import type { Storage, TxOperation } from '../storage/types.js';
import type { SealWrapper } from '../seal/types.js';
import { createAesGcmBarrier } from '../barrier/aes-gcm-barrier.js';
import { isSealWrapped, SEAL_WRAP_MAGIC } from '../barrier/seal-wrap.js';

export interface RewrapDeps {
  physical: Pick<Storage, 'get' | 'list'>;
  rootKey: Uint8Array;
  /** The seal that wrapped the entries. */
  oldWrapper: SealWrapper;
  /** The seal that wraps after the migration; undefined stores the entries unwrapped. */
  newWrapper: SealWrapper | undefined;
  /** Barrier prefixes to scan (mount storage): default `logical/` and `auth/`. */
  prefixes?: readonly string[];
}

const aad = (path: string) => Buffer.from(`seal-wrap:${path}`, 'utf8');

/** Operations that re-wrap (or unwrap) every seal-wrapped entry; returns the count as well. */
export async function rewrapSealWrapped(deps: RewrapDeps): Promise<{ ops: TxOperation[]; count: number }> {
  const ops: TxOperation[] = [];
  const capture: Storage = {
    get: (key) => deps.physical.get(key),
    list: (prefix) => deps.physical.list(prefix),
    put: async (key, value) => { ops.push({ op: 'put', key, value }); },
    delete: async (key) => { ops.push({ op: 'delete', key }); },
    close: async () => {},
  };
  const barrier = createAesGcmBarrier(capture);
  await barrier.unseal(deps.rootKey);
  let count = 0;
  const walk = async (prefix: string): Promise<void> => {
    for (const key of await barrier.list(prefix)) {
      const path = prefix + key;
      if (key.endsWith('/')) {
        await walk(path);
        continue;
      }
      const value = await barrier.get(path);
      if (value === undefined || !isSealWrapped(value)) continue;
      const blob = value.subarray(SEAL_WRAP_MAGIC.length);
      let plain: Buffer;
      try {
        plain = Buffer.from(await deps.oldWrapper.decrypt(blob, aad(path)));
      } catch (err) {
        // Resumable on storage without transactions: an entry an interrupted run already
        // re-wrapped opens with the new seal and stays as it is.
        if (deps.newWrapper && (await deps.newWrapper.decrypt(blob, aad(path)).then(() => true, () => false))) continue;
        throw err;
      }
      try {
        const next = deps.newWrapper
          ? Buffer.concat([SEAL_WRAP_MAGIC, Buffer.from(await deps.newWrapper.encrypt(plain, aad(path)))])
          : Buffer.from(plain);
        await barrier.put(path, next);
        count += 1;
      } finally {
        plain.fill(0);
      }
    }
  };
  try {
    for (const prefix of deps.prefixes ?? ['logical/', 'auth/']) await walk(prefix);
  } finally {
    barrier.seal();
  }
  return { ops, count };
}
