/**
 * Where keymgmt records live in the mount's storage (layouts in records.ts) and the one write
 * lock of the mount: every change (key, provider or distribution) runs inside `exclusive`, so a
 * distribution never races a rotation or a deletion. Writes are rare; reads take no lock.
 */
import type { BarrierStorage } from '../../barrier/types.js';
import {
  decodeDistribution, decodeKey, decodeProvider, encodeDistribution, encodeKey, encodeProvider,
  type Distribution, type KmsProviderConfig, type ManagedKey,
} from './records.js';

export const KEY_PREFIX = 'key/';
export const KMS_PREFIX = 'kms/';
export const DISTRIBUTION_PREFIX = 'distribution/';
/** Key material and provider credentials are seal-wrapped. */
export const SEAL_WRAPPED = [`${KEY_PREFIX}*`, `${KMS_PREFIX}*`];

export function createKeymgmtStore(storage: Pick<BarrierStorage, 'get' | 'put' | 'delete' | 'list'>) {
  let tail: Promise<unknown> = Promise.resolve();
  const distributionPath = (kms: string, key: string) => `${DISTRIBUTION_PREFIX}${kms}/${key}`;
  const leaves = async (prefix: string) => (await storage.list(prefix)).filter((k) => !k.endsWith('/')).sort();

  return {
    /** Runs `work` after every earlier change of this mount has finished. */
    exclusive<T>(work: () => Promise<T>): Promise<T> {
      const current = tail.catch(() => {}).then(work);
      tail = current.catch(() => {});
      return current;
    },

    async getKey(name: string): Promise<ManagedKey | undefined> {
      const raw = await storage.get(KEY_PREFIX + name);
      return raw ? decodeKey(raw) : undefined;
    },
    putKey: (key: ManagedKey) => storage.put(KEY_PREFIX + key.name, encodeKey(key)),
    deleteKey: (name: string) => storage.delete(KEY_PREFIX + name),
    listKeys: () => leaves(KEY_PREFIX),

    async getProvider(name: string): Promise<KmsProviderConfig | undefined> {
      const raw = await storage.get(KMS_PREFIX + name);
      return raw ? decodeProvider(raw) : undefined;
    },
    putProvider: (p: KmsProviderConfig) => storage.put(KMS_PREFIX + p.name, encodeProvider(p)),
    deleteProvider: (name: string) => storage.delete(KMS_PREFIX + name),
    listProviders: () => leaves(KMS_PREFIX),

    async getDistribution(kms: string, key: string): Promise<Distribution | undefined> {
      const raw = await storage.get(distributionPath(kms, key));
      return raw ? decodeDistribution(raw) : undefined;
    },
    putDistribution: (d: Distribution) => storage.put(distributionPath(d.kms, d.key), encodeDistribution(d)),
    deleteDistribution: (kms: string, key: string) => storage.delete(distributionPath(kms, key)),
    /** Key names distributed to one provider. */
    listDistributedKeys: (kms: string) => leaves(`${DISTRIBUTION_PREFIX}${kms}/`),
    /** Providers a key is distributed to. */
    async providersOfKey(key: string): Promise<string[]> {
      const out: string[] = [];
      for (const kms of await leaves(KMS_PREFIX)) {
        if (await storage.get(distributionPath(kms, key))) out.push(kms);
      }
      return out;
    },
  };
}

export type KeymgmtStore = ReturnType<typeof createKeymgmtStore>;
