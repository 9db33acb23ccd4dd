/** What the transit path groups share: the key store, random sources and a clock. */
import { InvalidRequest } from '../../errors.js';
import type { RandomSource } from './key-material.js';
import type { TransitKey } from './keyring.js';
import type { KeyStore } from './store.js';

export interface TransitDeps {
  store: KeyStore;
  /** Key material and `random` with source seal/all: the mount's random (entropy augmentation). */
  random: RandomSource;
  /** `random` with source platform: the OS generator only. */
  platformRandom: RandomSource;
  now: () => Date;
}

export async function requireKey(deps: Pick<TransitDeps, 'store'>, name: string, what = 'encryption key'): Promise<TransitKey> {
  const key = await deps.store.get(name);
  if (!key) throw new InvalidRequest(`${what} not found`);
  return key;
}
