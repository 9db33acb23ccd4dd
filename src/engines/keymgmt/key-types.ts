/**
 * The key types the keymgmt engine generates: one table entry per type holding every fact the
 * engine needs (how material is made, which KMS providers accept it, for which purposes). Code
 * elsewhere dispatches through these entries rather than switching on type names.
 */
import { InvalidRequest } from '../../errors.js';

export type MaterialKind = 'aes' | 'rsa' | 'ec';
export type Purpose = 'encrypt' | 'decrypt' | 'sign' | 'verify' | 'wrap' | 'unwrap';
export type Protection = 'hsm' | 'software';

export const PURPOSES: readonly Purpose[] = ['encrypt', 'decrypt', 'sign', 'verify', 'wrap', 'unwrap'];
export const PROTECTIONS: readonly Protection[] = ['hsm', 'software'];

export interface KeyTypeSpec {
  readonly name: string;
  readonly material: MaterialKind;
  /** AES key length in bytes. */
  readonly keyBytes?: number;
  readonly rsaBits?: number;
  /** node:crypto / JWK curve name. */
  readonly curve?: 'P-256' | 'P-384' | 'P-521';
  /** Purposes the key's algorithm can serve at all (providers narrow this further). */
  readonly purposes: readonly Purpose[];
}

const rsa = (bits: number): KeyTypeSpec => ({ name: `rsa-${bits}`, material: 'rsa', rsaBits: bits, purposes: PURPOSES });
const ec = (name: string, curve: 'P-256' | 'P-384' | 'P-521'): KeyTypeSpec => ({ name, material: 'ec', curve, purposes: ['sign', 'verify'] });

export const KEY_TYPES: Readonly<Record<string, KeyTypeSpec>> = Object.freeze({
  'aes256-gcm96': { name: 'aes256-gcm96', material: 'aes', keyBytes: 32, purposes: ['encrypt', 'decrypt', 'wrap', 'unwrap'] },
  'rsa-2048': rsa(2048),
  'rsa-3072': rsa(3072),
  'rsa-4096': rsa(4096),
  'ecdsa-p256': ec('ecdsa-p256', 'P-256'),
  'ecdsa-p384': ec('ecdsa-p384', 'P-384'),
  'ecdsa-p521': ec('ecdsa-p521', 'P-521'),
});

/** Vault's default for `type` on key creation. */
export const DEFAULT_KEY_TYPE = 'rsa-2048';

export function keyTypeSpec(name: string): KeyTypeSpec {
  const spec = Object.prototype.hasOwnProperty.call(KEY_TYPES, name) ? KEY_TYPES[name] : undefined;
  if (!spec) throw new InvalidRequest(`unsupported key type "${name}"; supported: ${Object.keys(KEY_TYPES).join(', ')}`);
  return spec;
}
