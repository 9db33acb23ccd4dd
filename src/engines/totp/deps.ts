/** What the TOTP path groups share. */
import type { TotpStore } from './store.js';

export interface TotpDeps {
  store: TotpStore;
  random: (n: number) => Promise<Uint8Array>;
  now: () => Date;
  /** Codes already accepted, keyed `name_code`, with the epoch ms after which they may be forgotten. */
  usedCodes: Map<string, number>;
}
