/**
 * Password hashes for auth methods: scrypt (memory-hard) from node:crypto with a per-hash
 * random salt, in a versioned, self-describing text format (a permanent stored layout):
 *
 *   $scrypt$v=1$ln=<log2 N>,r=<r>,p=<p>$<salt, base64>$<key, base64>
 *
 * Verification always runs scrypt, also for unknown users (against a dummy hash with the
 * current parameters), so both failures take the same time.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export const PASSWORD_HASH_VERSION = 1;

export interface ScryptCost {
  /** log2 of N. */
  logN: number;
  r: number;
  p: number;
}

/** 32 MiB per hash, as OWASP's scrypt guidance (N=2^15, r=8, p=1). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { logN: 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const FORMAT = /^\$scrypt\$v=(\d+)\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function derive(password: Buffer, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  const N = 2 ** cost.logN;
  const maxmem = 128 * N * cost.r * 2 + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, { N, r: cost.r, p: cost.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(Buffer.from(password, 'utf8'), salt, cost, KEY_LENGTH);
  return `$scrypt$v=${PASSWORD_HASH_VERSION}$ln=${cost.logN},r=${cost.r},p=${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface Decoded { cost: ScryptCost; salt: Buffer; key: Buffer }

export function decodePasswordHash(encoded: string): Decoded | undefined {
  const m = FORMAT.exec(encoded);
  if (!m || Number(m[1]) !== PASSWORD_HASH_VERSION) return undefined;
  const cost = { logN: Number(m[2]), r: Number(m[3]), p: Number(m[4]) };
  if (cost.logN < 1 || cost.logN > 22 || cost.r < 1 || cost.p < 1 || cost.p > 16) return undefined;
  const salt = Buffer.from(m[5], 'base64');
  const key = Buffer.from(m[6], 'base64');
  if (salt.length < SALT_LENGTH || key.length !== KEY_LENGTH) return undefined;
  return { cost, salt, key };
}

/** A verifier that costs the same for a missing user as for a wrong password. */
export function createPasswordVerifier(cost: ScryptCost = DEFAULT_SCRYPT_COST) {
  let dummy: Promise<string> | undefined;
  return {
    cost,
    hash: (password: string) => hashPassword(password, cost),
    /** `encoded` undefined = unknown user: scrypt still runs, the answer is false. */
    async verify(password: string, encoded: string | undefined): Promise<boolean> {
      dummy ??= hashPassword('arca-dummy-password', cost);
      const decoded = decodePasswordHash(encoded ?? '') ?? decodePasswordHash(await dummy)!;
      const key = await derive(Buffer.from(password, 'utf8'), decoded.salt, decoded.cost, decoded.key.length);
      const equal = timingSafeEqual(key, decoded.key);
      return encoded !== undefined && decodePasswordHash(encoded) !== undefined && equal;
    },
  };
}

export type PasswordVerifier = ReturnType<typeof createPasswordVerifier>;
