/**
 * Rekey by quorum: replace the unseal shares (target "barrier", Shamir) or the recovery shares
 * (target "recovery", auto-unseal) with a new split, optionally proven by a verification round
 * with the new shares before the old ones stop working.
 */
import { randomUUID } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { splitSecret } from '../../crypto/shamir.js';
import { createShamirSeal } from '../../seal/shamir.js';
import { readStoredRootKey, writeStoredRootKey, writeRecoveryKey, writeSealConfig } from '../../seal/stored-keys.js';
import { constantTimeEqual } from '../../crypto/compare.js';
import { validateShareConfig } from '../init-params.js';
import type { Core, ShamirKeyHolder } from '../core.js';
import { createShareCollector, type ShareCollector } from '../share-collector.js';
import { combineQuorum, verifyQuorum } from './quorum.js';

export type RekeyTarget = 'barrier' | 'recovery';

interface Pending {
  newKey: Buffer;
  collector: ShareCollector;
  nonce: string;
}

interface Attempt {
  nonce: string;
  shares: number;
  threshold: number;
  requireVerification: boolean;
  collector: ShareCollector;
  pending?: Pending;
}

export function createRekey(core: Core, target: RekeyTarget) {
  let attempt: Attempt | undefined;

  function checkTarget(): void {
    const auto = core.configuredSeal.autoUnseal;
    if (target === 'barrier' && auto) throw new InvalidRequest('the barrier key of an auto-unseal server is protected by its seal; rekey the recovery key instead');
    if (target === 'recovery' && !auto) throw new InvalidRequest('recovery keys exist only with an auto-unseal seal');
  }

  async function status(): Promise<Record<string, unknown>> {
    const required = (await core.quorumConfig()).secret_threshold;
    const out: Record<string, unknown> = {
      nonce: attempt?.nonce ?? '',
      started: attempt !== undefined,
      t: attempt?.threshold ?? 0,
      n: attempt?.shares ?? 0,
      progress: attempt?.collector.progress ?? 0,
      required,
      pgp_fingerprints: null,
      backup: false,
      verification_required: attempt?.requireVerification ?? false,
    };
    if (attempt?.pending) out.verification_nonce = attempt.pending.nonce;
    return out;
  }

  /** Makes the new key the live one: new stored blob, new config. */
  async function commit(newKey: Buffer, shares: number, threshold: number): Promise<void> {
    const physical = core.physical;
    if (target === 'recovery') {
      await writeRecoveryKey(physical, core.configuredSeal.wrapper(), newKey);
    } else {
      const rootKey = await readStoredRootKey(physical, core.configuredSeal.wrapper());
      if (!rootKey) throw new InvalidRequest('Vault is not initialized');
      const next = createShamirSeal();
      next.setUnsealKey(newKey);
      await writeStoredRootKey(physical, next.wrapper(), rootKey);
      rootKey.fill(0);
      next.clearUnsealKey();
      (core.configuredSeal as unknown as ShamirKeyHolder).setUnsealKey(newKey);
    }
    await writeSealConfig(physical, target === 'recovery' ? 'recovery' : 'seal', {
      type: target === 'recovery' ? 'shamir' : core.configuredSeal.type,
      secret_shares: shares,
      secret_threshold: threshold,
      nonce: randomUUID(),
    });
    core.forgetSealConfig();
  }

  return {
    status,

    async start(input: { shares: number; threshold: number; requireVerification: boolean; pgpKeys?: string[]; backup?: boolean }) {
      core.requireUnsealed();
      checkTarget();
      if (attempt) throw new InvalidRequest('rekey already in progress');
      if (input.pgpKeys && input.pgpKeys.length > 0) throw new InvalidRequest('pgp_keys are not supported by this server');
      if (input.backup) throw new InvalidRequest('backup requires pgp_keys, which this server does not support');
      validateShareConfig(input.shares, input.threshold, target === 'recovery' ? 'recovery' : 'secret');
      const current = await core.quorumConfig();
      attempt = {
        nonce: randomUUID(),
        shares: input.shares,
        threshold: input.threshold,
        requireVerification: input.requireVerification,
        collector: createShareCollector(current.secret_threshold),
      };
      return status();
    },

    cancel(): void {
      attempt?.collector.reset();
      attempt?.pending?.newKey.fill(0);
      attempt = undefined;
    },

    async update(share: Buffer, nonce: string): Promise<Record<string, unknown>> {
      core.requireUnsealed();
      if (!attempt) throw new InvalidRequest('no rekey in progress');
      if (nonce !== attempt.nonce) throw new InvalidRequest('incorrect nonce');
      if (attempt.pending) throw new InvalidRequest('rekey is waiting for verification of the new shares');
      const shares = attempt.collector.add(share);
      if (!shares) return status();
      const current = attempt;
      try {
        (await verifyQuorum(core, shares)).fill(0);
      } catch (err) {
        current.collector.reset();
        attempt = undefined;
        throw err;
      }
      const newKey = await core.randomKey(32);
      const split = (await splitSecret(newKey, current.shares, current.threshold)).map((s) => Buffer.from(s));
      const result: Record<string, unknown> = {
        nonce: current.nonce,
        complete: true,
        keys: split.map((s) => s.toString('hex')),
        keys_base64: split.map((s) => s.toString('base64')),
        pgp_fingerprints: null,
        backup: false,
        verification_required: current.requireVerification,
      };
      if (current.requireVerification) {
        current.pending = { newKey, collector: createShareCollector(current.threshold), nonce: randomUUID() };
        result.verification_nonce = current.pending.nonce;
      } else {
        attempt = undefined;
        await commit(newKey, current.shares, current.threshold);
        newKey.fill(0);
      }
      for (const s of split) s.fill(0);
      return result;
    },

    verifyStatus(): Record<string, unknown> {
      if (!attempt?.pending) throw new InvalidRequest('no rekey verification in progress');
      return {
        nonce: attempt.pending.nonce, started: true, t: attempt.threshold, n: attempt.shares,
        progress: attempt.pending.collector.progress,
      };
    },

    resetVerification(): Record<string, unknown> {
      if (!attempt?.pending) throw new InvalidRequest('no rekey verification in progress');
      attempt.pending.collector.reset();
      attempt.pending.nonce = randomUUID();
      return this.verifyStatus();
    },

    async verify(share: Buffer, nonce: string): Promise<Record<string, unknown>> {
      const pending = attempt?.pending;
      if (!attempt || !pending) throw new InvalidRequest('no rekey verification in progress');
      if (nonce !== pending.nonce) throw new InvalidRequest('incorrect nonce');
      const shares = pending.collector.add(share);
      if (!shares) return this.verifyStatus();
      const combined = await combineQuorum(shares, attempt.shares);
      const matches = combined.length === pending.newKey.length && constantTimeEqual(combined, pending.newKey);
      combined.fill(0);
      if (!matches) {
        pending.collector.reset();
        throw new InvalidRequest('the new key shares do not verify; submit them again');
      }
      const { shares: n, threshold: t } = attempt;
      attempt = undefined;
      await commit(pending.newKey, n, t);
      pending.newKey.fill(0);
      return { nonce, complete: true };
    },
  };
}

export type Rekey = ReturnType<typeof createRekey>;
