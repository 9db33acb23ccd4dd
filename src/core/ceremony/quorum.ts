/**
 * Checking a quorum of shares without touching the live seal: unseal shares must open the
 * stored root key; recovery shares must equal the stored recovery key.
 */
import { IntegrityError, InvalidRequest } from '../../errors.js';
import { combineShares } from '../../crypto/shamir.js';
import { createShamirSeal } from '../../seal/shamir.js';
import { readStoredRootKey } from '../../seal/stored-keys.js';
import type { Core } from '../core.js';

/** Combines shares (one share = the key itself, as Vault does for 1-of-1). */
export async function combineQuorum(shares: Buffer[], total: number): Promise<Buffer> {
  if (total === 1) return Buffer.from(shares[0]);
  try {
    return Buffer.from(await combineShares(shares));
  } catch {
    throw new InvalidRequest('failed to combine key shares');
  }
}

/** Returns the combined key when the shares are a valid quorum; throws InvalidRequest otherwise. */
export async function verifyQuorum(core: Core, shares: Buffer[]): Promise<Buffer> {
  const config = await core.quorumConfig();
  const key = await combineQuorum(shares, config.secret_shares);
  if (core.configuredSeal.autoUnseal) {
    await core.verifyRecoveryKey(key);
    return key;
  }
  const probe = createShamirSeal();
  probe.setUnsealKey(key);
  try {
    const rootKey = await readStoredRootKey(core.physical, probe.wrapper());
    rootKey?.fill(0);
  } catch (err) {
    if (err instanceof IntegrityError) throw new InvalidRequest('the key shares are not valid');
    throw err;
  } finally {
    probe.clearUnsealKey();
  }
  return key;
}
