/**
 * For seal-wrap tests: look inside a stopped node's SQLite storage the way an attacker holding
 * only the barrier key would — the root key fetched once through the HSM, then the barrier
 * opened with it alone (no seal), so seal-wrapped entries stay opaque.
 */
import { join } from 'node:path';
import { createAesGcmBarrier } from '../../src/barrier/aes-gcm-barrier.js';
import type { SecurityBarrier } from '../../src/barrier/types.js';
import { parsePkcs11Config } from '../../src/seal/pkcs11/config.js';
import { createPkcs11Seal } from '../../src/seal/pkcs11/seal.js';
import { readStoredRootKey } from '../../src/seal/stored-keys.js';
import { openStorage } from '../../src/storage/index.js';

/** The node's root key, unwrapped by the HSM its pkcs11 seal stanza names. */
export async function rootKeyThroughHsm(dataDir: string, sealOptions: Record<string, string>): Promise<Buffer> {
  const seal = createPkcs11Seal(parsePkcs11Config(sealOptions, {}));
  try {
    await seal.init();
    const storage = await openStorage('sqlite', { path: join(dataDir, 'arca.db') });
    try {
      return (await readStoredRootKey(storage, seal.wrapper()))!;
    } finally {
      await storage.close();
    }
  } finally {
    await seal.close();
  }
}

/** Runs `fn` with the node's barrier unsealed by `rootKey` alone. */
export async function withBarrierKeyAlone(dataDir: string, rootKey: Buffer, fn: (barrier: SecurityBarrier) => Promise<void>): Promise<void> {
  const storage = await openStorage('sqlite', { path: join(dataDir, 'arca.db') });
  try {
    const barrier = createAesGcmBarrier(storage);
    await barrier.unseal(rootKey);
    await fn(barrier);
    barrier.seal();
  } finally {
    await storage.close();
  }
}
