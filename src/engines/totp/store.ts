/** TOTP keys in the mount's storage under `key/<name>` (seal-wrapped), as versioned JSON. */
import type { BarrierStorage } from '../../barrier/types.js';
import { InvalidRequest } from '../../errors.js';
import type { TotpAlgorithm } from './otp.js';

export const KEY_PREFIX = 'key/';

export interface TotpKey {
  /** Base32 secret, unpadded upper case. */
  key: string;
  issuer: string;
  account_name: string;
  period: number;
  algorithm: TotpAlgorithm;
  digits: 6 | 8;
  skew: 0 | 1;
}

interface StoredKey extends TotpKey {
  version: 1;
}

export function createTotpStore(storage: Pick<BarrierStorage, 'get' | 'put' | 'delete' | 'list'>) {
  const keyPath = (name: string) => {
    if (name === '' || name.includes('/')) throw new InvalidRequest('invalid key name');
    return KEY_PREFIX + name;
  };
  return {
    async get(name: string): Promise<TotpKey | undefined> {
      const raw = await storage.get(keyPath(name));
      if (!raw) return undefined;
      const { version, ...key } = JSON.parse(raw.toString('utf8')) as StoredKey;
      if (version !== 1) throw new Error('unsupported totp key entry version');
      return key;
    },
    async put(name: string, key: TotpKey): Promise<void> {
      const stored: StoredKey = { version: 1, ...key };
      await storage.put(keyPath(name), Buffer.from(JSON.stringify(stored)));
    },
    async delete(name: string): Promise<void> {
      await storage.delete(keyPath(name));
    },
    list: () => storage.list(KEY_PREFIX),
  };
}

export type TotpStore = ReturnType<typeof createTotpStore>;
