/**
 * The PKCS#11 mechanisms a pkcs11 seal can use: one entry per mechanism holding every fact the
 * seal dispatches on. Nothing else switches on CKM_* values.
 */
export type KeyKind = 'aes' | 'rsa';

export interface MechanismInfo {
  /** Canonical name as PKCS#11 spells it. */
  name: 'CKM_AES_GCM' | 'CKM_AES_CBC_PAD' | 'CKM_RSA_PKCS_OAEP';
  value: number;
  keyKind: KeyKind;
  /** Encrypt-then-MAC with a separate HMAC key (verified before any decryption). */
  needsHmac: boolean;
  /** IV length generated per blob (0: none on the HSM side). */
  ivLength: number;
  /** Data encrypted by a local AES-256-GCM key that the HSM key wraps (RSA). */
  envelope: boolean;
}

export const MECHANISMS: readonly MechanismInfo[] = Object.freeze([
  { name: 'CKM_AES_GCM', value: 0x1087, keyKind: 'aes', needsHmac: false, ivLength: 12, envelope: false },
  { name: 'CKM_AES_CBC_PAD', value: 0x1085, keyKind: 'aes', needsHmac: true, ivLength: 16, envelope: false },
  { name: 'CKM_RSA_PKCS_OAEP', value: 0x0009, keyKind: 'rsa', needsHmac: false, ivLength: 12, envelope: true },
]);

export const DEFAULT_MECHANISM = MECHANISMS[0];
/** CKM_SHA256_HMAC: the only HMAC mechanism (as in Vault). */
export const HMAC_MECHANISMS: ReadonlyMap<string, number> = new Map([['CKM_SHA256_HMAC', 0x0251]]);

export const OAEP_HASHES = Object.freeze({
  sha1: { ckm: 0x0220, mgf: 0x1, node: 'sha1' },
  sha224: { ckm: 0x0255, mgf: 0x5, node: 'sha224' },
  sha256: { ckm: 0x0250, mgf: 0x2, node: 'sha256' },
  sha384: { ckm: 0x0260, mgf: 0x3, node: 'sha384' },
  sha512: { ckm: 0x0270, mgf: 0x4, node: 'sha512' },
});
export type OaepHash = keyof typeof OAEP_HASHES;

function parseNumber(text: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(text)) return parseInt(text.slice(2), 16);
  if (/^[0-9]+$/.test(text)) return parseInt(text, 10);
  return undefined;
}

/** `CKM_AES_GCM`, `AES_GCM`, `aes-gcm`, `0x1087` or `4231` → the table entry; undefined if unknown. */
export function findMechanism(text: string): MechanismInfo | undefined {
  const value = parseNumber(text.trim());
  if (value !== undefined) return MECHANISMS.find((m) => m.value === value);
  const name = text.trim().toUpperCase().replace(/-/g, '_');
  const full = name.startsWith('CKM_') ? name : `CKM_${name}`;
  return MECHANISMS.find((m) => m.name === full);
}

export function mechanismByValue(value: number): MechanismInfo | undefined {
  return MECHANISMS.find((m) => m.value === value);
}

/** `CKM_SHA256_HMAC`, `SHA256_HMAC` or `0x0251`; undefined if unsupported. */
export function findHmacMechanism(text: string): number | undefined {
  const value = parseNumber(text.trim());
  if (value !== undefined) return [...HMAC_MECHANISMS.values()].includes(value) ? value : undefined;
  const name = text.trim().toUpperCase();
  return HMAC_MECHANISMS.get(name.startsWith('CKM_') ? name : `CKM_${name}`);
}
