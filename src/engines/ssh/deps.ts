/** What the SSH path groups share. */
import type { CaStore } from './ca-store.js';
import type { RoleStore } from './roles-store.js';

export interface SshDeps {
  ca: CaStore;
  roles: RoleStore;
  random: (n: number) => Promise<Uint8Array>;
  now: () => Date;
  defaultLeaseTtl: () => number;
  maxLeaseTtl: () => number;
}
