/**
 * Named keys of identity tokens (pure, no storage or HTTP): a signing key pair, the next key
 * pair (already published so verifiers can cache it before it signs), and a key ring of public
 * keys, each retired one kept until its verification deadline. Only the current and next key
 * pairs keep private parts; rotation drops the retired private key.
 *
 * Stored layout (versioned JSON, seal-wrapped): see `NamedKey`. Times are milliseconds since
 * the epoch, durations seconds.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { oidcAlgorithm } from './algorithms.js';

export const NAMED_KEY_VERSION = 1;

export interface KeyPairRecord {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface KeyRingEntry {
  kid: string;
  publicJwk: JWK;
  /** When verification with this key ends; absent for the current and next keys. */
  expireAt?: number;
}

export interface NamedKey {
  v: number;
  algorithm: string;
  rotationPeriod: number;
  verificationTtl: number;
  allowedClientIds: string[];
  signing: KeyPairRecord;
  next: KeyPairRecord;
  /** When the next key takes over signing. */
  nextRotation: number;
  keyRing: KeyRingEntry[];
}

export interface KeySettings {
  algorithm: string;
  rotationPeriod: number;
  verificationTtl: number;
  allowedClientIds: string[];
}

export async function generateKeyPairRecord(algorithm: string): Promise<KeyPairRecord> {
  const entry = oidcAlgorithm(algorithm);
  if (!entry) throw new Error(`unknown signing algorithm ${JSON.stringify(algorithm)}`);
  const options = entry.kty === 'RSA' ? { extractable: true, modulusLength: 2048 } : entry.kty === 'OKP' ? { extractable: true, crv: entry.crv } : { extractable: true };
  const { privateKey, publicKey } = await generateKeyPair(entry.alg, options);
  const kid = randomUUID();
  const meta = { kid, alg: entry.alg, use: 'sig' };
  return { kid, privateJwk: { ...(await exportJWK(privateKey)), ...meta }, publicJwk: { ...(await exportJWK(publicKey)), ...meta } };
}

function ringEntry(pair: KeyPairRecord): KeyRingEntry {
  return { kid: pair.kid, publicJwk: pair.publicJwk };
}

function retire(ring: KeyRingEntry[], kid: string, expireAt: number): KeyRingEntry[] {
  return ring.map((e) => (e.kid === kid ? { ...e, expireAt } : e));
}

export async function createNamedKey(settings: KeySettings, now: number): Promise<NamedKey> {
  const signing = await generateKeyPairRecord(settings.algorithm);
  const next = await generateKeyPairRecord(settings.algorithm);
  return {
    v: NAMED_KEY_VERSION,
    ...settings,
    allowedClientIds: [...settings.allowedClientIds],
    signing,
    next,
    nextRotation: now + settings.rotationPeriod * 1000,
    keyRing: [ringEntry(signing), ringEntry(next)],
  };
}

/**
 * New settings for an existing key. A shorter rotation period brings the next rotation
 * forward; a new algorithm replaces both key pairs at once (the old signing key stays
 * verifiable for verification_ttl, the old next key never signed and goes at once).
 */
export async function reconfigure(key: NamedKey, settings: KeySettings, now: number): Promise<NamedKey> {
  let updated: NamedKey = { ...key, ...settings, allowedClientIds: [...settings.allowedClientIds] };
  updated.nextRotation = Math.min(key.nextRotation, now + settings.rotationPeriod * 1000);
  if (settings.algorithm !== key.algorithm) {
    const signing = await generateKeyPairRecord(settings.algorithm);
    const next = await generateKeyPairRecord(settings.algorithm);
    const ring = retire(key.keyRing, key.signing.kid, now + settings.verificationTtl * 1000).filter((e) => e.kid !== key.next.kid);
    updated = { ...updated, signing, next, keyRing: [...ring, ringEntry(signing), ringEntry(next)] };
  }
  return updated;
}

/**
 * The next key signs from now on; a fresh next key is made. The retired key stays in the key
 * ring until `retiredAt` + verification TTL (`verificationTtlOverride` when given, rotate's
 * parameter). `retiredAt` is when it stopped signing: now for a manual rotation, the due time
 * for a rotation made late (no token was signed with it after that).
 */
export async function rotate(key: NamedKey, now: number, options: { verificationTtlOverride?: number; retiredAt?: number } = {}): Promise<NamedKey> {
  const ttl = options.verificationTtlOverride ?? key.verificationTtl;
  const retiredAt = options.retiredAt ?? now;
  const next = await generateKeyPairRecord(key.algorithm);
  return {
    ...key,
    signing: key.next,
    next,
    nextRotation: now + key.rotationPeriod * 1000,
    keyRing: [...retire(key.keyRing, key.signing.kid, retiredAt + ttl * 1000), ringEntry(next)],
  };
}

export function rotationDue(key: NamedKey, now: number): boolean {
  return now >= key.nextRotation;
}

/** Rotates when the rotation period has run out (lazily, at use); undefined when not due. */
export async function rotateIfDue(key: NamedKey, now: number): Promise<NamedKey | undefined> {
  if (!rotationDue(key, now)) return undefined;
  return rotate(key, now, { retiredAt: key.nextRotation });
}

/** Drops retired public keys whose verification deadline has passed; undefined when none did. */
export function expireRetired(key: NamedKey, now: number): NamedKey | undefined {
  const kept = key.keyRing.filter((e) => e.expireAt === undefined || e.expireAt > now);
  return kept.length === key.keyRing.length ? undefined : { ...key, keyRing: kept };
}

/** Whether `maintain` would change the key (cheap: generates nothing). */
export function needsMaintenance(key: NamedKey, now: number): boolean {
  return rotationDue(key, now) || key.keyRing.some((e) => e.expireAt !== undefined && e.expireAt <= now);
}

/** Brings a key up to date at `now`: due rotation, then expiry. Undefined when nothing changed. */
export async function maintain(key: NamedKey, now: number): Promise<NamedKey | undefined> {
  const rotated = await rotateIfDue(key, now);
  const current = rotated ?? key;
  return expireRetired(current, now) ?? rotated;
}

/** Public keys still valid for verification at `now` (current, next and unexpired retired ones). */
export function verificationKeys(key: NamedKey, now: number): JWK[] {
  return key.keyRing.filter((e) => e.expireAt === undefined || e.expireAt > now).map((e) => e.publicJwk);
}

export function allowsClient(key: NamedKey, clientId: string): boolean {
  return key.allowedClientIds.includes('*') || key.allowedClientIds.includes(clientId);
}
