/**
 * Bank-Vaults' pre-flight check: before init, prove the store can write, read back and delete
 * (a `vault-test` key), so the keys init returns are not lost to a store that cannot hold them.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { TEST_KEY } from './key-names.js';
import { KeyStoreError, type KeyStore } from './key-store.js';

export async function preflightCheck(store: KeyStore): Promise<void> {
  const probe = new Uint8Array(Buffer.from(randomBytes(16).toString('hex')));
  // A probe left by an interrupted earlier run is not a key: clear it first.
  await store.delete(TEST_KEY);
  await store.create(TEST_KEY, probe);
  const back = await store.get(TEST_KEY);
  if (!back || back.length !== probe.length || !timingSafeEqual(back, probe)) {
    throw new KeyStoreError(`key store: pre-flight check failed: "${TEST_KEY}" did not read back as written in ${store.description}`);
  }
  await store.delete(TEST_KEY);
  if ((await store.get(TEST_KEY)) !== undefined) {
    throw new KeyStoreError(`key store: pre-flight check failed: "${TEST_KEY}" could not be deleted from ${store.description}`);
  }
}
