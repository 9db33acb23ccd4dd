/** Validation of `sys/init` parameters, with Vault's messages. */
import { InvalidRequest } from '../errors.js';

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

export function validateShareConfig(shares: number, threshold: number, what: 'secret' | 'recovery'): void {
  const prefix = what === 'recovery' ? 'recovery ' : '';
  if (!Number.isInteger(shares) || !Number.isInteger(threshold)) {
    throw new InvalidRequest(`${prefix}shares and threshold must be integers`);
  }
  if (shares < 1) throw new InvalidRequest(`${prefix}shares must be at least one`);
  if (threshold < 1) throw new InvalidRequest(`${prefix}threshold must be at least one`);
  if (shares > 255) throw new InvalidRequest(`${prefix}shares must be less than 256`);
  if (threshold > shares) throw new InvalidRequest(`${prefix}threshold cannot be larger than shares`);
  if (shares > 1 && threshold < 2) throw new InvalidRequest(`${prefix}threshold must be greater than one for multiple shares`);
}
