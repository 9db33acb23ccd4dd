/** What the keymgmt path groups share: the store, the mount's random source, a clock, provider clients. */
import type { RandomSource } from './key-material.js';
import type { KmsProviderConfig } from './records.js';
import type { KmsClient } from './providers/types.js';
import type { KeymgmtStore } from './store.js';

export interface KeymgmtDeps {
  store: KeymgmtStore;
  /** Key material: the mount's random (entropy augmentation applies). */
  random: RandomSource;
  now: () => Date;
  /** A client for one configured provider; the caller closes it. */
  openClient(config: KmsProviderConfig): Promise<KmsClient>;
}
