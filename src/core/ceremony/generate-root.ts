/**
 * Root token generation by quorum (Vault's OTP scheme): an attempt returns a one-time pad;
 * once enough unseal (or recovery) shares are submitted, a new root token is created and
 * returned XORed with the pad, base64-encoded. One attempt at a time; every update names the
 * attempt's nonce.
 */
import { randomUUID } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { randomBase62, TOKEN_BODY_LENGTH, SERVICE_TOKEN_PREFIX } from '../tokens/ids.js';
import type { Core } from '../core.js';
import { createShareCollector, type ShareCollector } from '../share-collector.js';
import { verifyQuorum } from './quorum.js';

export const OTP_LENGTH = SERVICE_TOKEN_PREFIX.length + TOKEN_BODY_LENGTH;

export interface GenerateRootStatus {
  nonce: string;
  started: boolean;
  progress: number;
  required: number;
  complete: boolean;
  encoded_token: string;
  encoded_root_token: string;
  pgp_fingerprint: string;
  otp: string;
  otp_length: number;
}

export function xorEncode(token: string, otp: string): string {
  const a = Buffer.from(token, 'utf8');
  const b = Buffer.from(otp, 'utf8');
  if (a.length !== b.length) throw new InvalidRequest('OTP length does not match the token length');
  return Buffer.from(a.map((byte, i) => byte ^ b[i])).toString('base64').replace(/=+$/, '');
}

export function xorDecode(encoded: string, otp: string): string {
  const a = Buffer.from(encoded, 'base64');
  const b = Buffer.from(otp, 'utf8');
  if (a.length !== b.length) throw new InvalidRequest('OTP length does not match the encoded token length');
  return Buffer.from(a.map((byte, i) => byte ^ b[i])).toString('utf8');
}

export function createGenerateRoot(core: Core) {
  let attempt: { nonce: string; otp: string; collector: ShareCollector } | undefined;

  async function status(extra: Partial<GenerateRootStatus> = {}): Promise<GenerateRootStatus> {
    const required = (await core.quorumConfig()).secret_threshold;
    return {
      nonce: attempt?.nonce ?? '',
      started: attempt !== undefined,
      progress: attempt?.collector.progress ?? 0,
      required,
      complete: false,
      encoded_token: '',
      encoded_root_token: '',
      pgp_fingerprint: '',
      otp: '',
      otp_length: OTP_LENGTH,
      ...extra,
    };
  }

  return {
    status: () => status(),

    async start(input: { otp?: string; pgpKey?: string }): Promise<GenerateRootStatus> {
      core.requireUnsealed();
      if (attempt) throw new InvalidRequest('root generation already in progress');
      if (input.pgpKey) throw new InvalidRequest('pgp_key is not supported by this server; use the OTP flow');
      if (input.otp !== undefined && input.otp !== '' && input.otp.length !== OTP_LENGTH) {
        throw new InvalidRequest(`OTP must be ${OTP_LENGTH} characters long`);
      }
      const config = await core.quorumConfig();
      const otp = input.otp || randomBase62(OTP_LENGTH);
      attempt = { nonce: randomUUID(), otp, collector: createShareCollector(config.secret_threshold) };
      return status({ otp: input.otp ? '' : otp });
    },

    cancel(): void {
      attempt?.collector.reset();
      attempt = undefined;
    },

    async update(share: Buffer, nonce: string): Promise<GenerateRootStatus> {
      core.requireUnsealed();
      if (!attempt) throw new InvalidRequest('no root generation in progress');
      if (nonce !== attempt.nonce) throw new InvalidRequest('incorrect nonce');
      const shares = attempt.collector.add(share);
      if (!shares) return status();
      const current = attempt;
      try {
        const key = await verifyQuorum(core, shares);
        key.fill(0);
      } catch (err) {
        current.collector.reset();
        attempt = undefined;
        throw err;
      }
      attempt = undefined;
      const { id } = await core.tokens.create({
        parent: '', policies: ['root'], path: 'auth/token/root', displayName: 'root', ttl: 0, renewable: false,
      });
      const encoded = xorEncode(id, current.otp);
      const required = (await core.quorumConfig()).secret_threshold;
      return {
        nonce: current.nonce, started: true, progress: required, required, complete: true,
        encoded_token: encoded, encoded_root_token: encoded, pgp_fingerprint: '', otp: '', otp_length: OTP_LENGTH,
      };
    },
  };
}

export type GenerateRoot = ReturnType<typeof createGenerateRoot>;
