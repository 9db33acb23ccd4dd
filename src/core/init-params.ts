/** `sys/init` parameters and their validation (Vault's messages). */
import { InvalidRequest } from '../errors.js';
import { validateShareConfig as validateShares } from '../crypto/shamir.js';

export interface InitParams {
  secretShares: number;
  secretThreshold: number;
  recoveryShares: number;
  recoveryThreshold: number;
  pgpKeys?: string[];
  /** Dev mode only: a chosen root token id (`-dev-root-token-id`). */
  rootTokenId?: string;
}

export interface InitResult {
  keys: Buffer[];
  recoveryKeys: Buffer[];
  rootToken: string;
}

/** Validates a share configuration; recovery errors say so, as Vault's do. */
export function validateShareConfig(shares: number, threshold: number, what: 'secret' | 'recovery'): void {
  try {
    validateShares(shares, threshold);
  } catch (err) {
    if (what === 'recovery' && err instanceof InvalidRequest) throw new InvalidRequest(`invalid recovery configuration: ${err.message}`);
    throw err;
  }
}
