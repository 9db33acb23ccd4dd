/**
 * After an auto-unseal: rewrite the stored root key and recovery key when the seal now
 * encrypts with a different key than the one that made them (an HSM key rotated under a new
 * label), as OpenBao's UpgradeKeys does. Old keys must stay on the device until this has run.
 */
import type { Storage } from '../storage/types.js';
import type { SealWrapper } from '../seal/types.js';
import { RECOVERY_KEY_PATH, STORED_ROOT_KEY_PATH } from '../seal/stored-keys.js';
import { decodeWrapperBlob } from '../seal/wrapper-blob.js';

export const STORED_KEY_PATHS = [STORED_ROOT_KEY_PATH, RECOVERY_KEY_PATH] as const;

/** Returns the paths rewritten. The AAD is the path, as stored-keys.ts writes them. */
export async function rewrapStoredKeys(storage: Pick<Storage, 'get' | 'put'>, wrapper: SealWrapper): Promise<string[]> {
  const rewritten: string[] = [];
  for (const path of STORED_KEY_PATHS) {
    const blob = await storage.get(path);
    if (blob === undefined) continue;
    const aad = Buffer.from(path, 'utf8');
    const plaintext = await wrapper.decrypt(blob, aad);
    try {
      const fresh = Buffer.from(await wrapper.encrypt(plaintext, aad));
      const before = decodeWrapperBlob(blob);
      const after = decodeWrapperBlob(fresh);
      if (before.keyId !== after.keyId || before.mechanism !== after.mechanism) {
        await storage.put(path, fresh);
        rewritten.push(path);
      }
    } finally {
      plaintext.fill(0);
    }
  }
  return rewritten;
}
