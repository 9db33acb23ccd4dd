/**
 * The transit key types and hash algorithms: one table entry per algorithm holding every fact
 * the engine needs (sizes, capabilities, node:crypto names, export formats). Code elsewhere
 * dispatches through these entries rather than switching on type names.
 */
import { InvalidRequest } from '../../errors.js';

export type ExportType = 'encryption-key' | 'signing-key' | 'hmac-key' | 'public-key';

/** How key material is held and generated. */
export type MaterialKind = 'symmetric' | 'ed25519' | 'ecdsa' | 'rsa';

export interface CurveFacts {
  /** JWK `crv` name (also Vault's public-key `name`). */
  jwk: 'P-256' | 'P-384' | 'P-521';
  /** OpenSSL curve name for createECDH. */
  openssl: 'prime256v1' | 'secp384r1' | 'secp521r1';
  bits: number;
  /** Group order n: private scalars are drawn from [1, n-1]. */
  order: bigint;
}

export interface KeyTypeSpec {
  readonly name: string;
  readonly material: MaterialKind;
  /** Symmetric key length in bytes (for hmac: the default; key_size may change it). */
  readonly keyBytes?: number;
  /** AEAD cipher for node:crypto, when the type encrypts symmetrically. */
  readonly aead?: { cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305'; nonceBytes: 12; tagBytes: 16 };
  readonly curve?: CurveFacts;
  readonly rsaBits?: number;
  /** encrypt/decrypt/rewrap/datakey. */
  readonly encryption: boolean;
  readonly signing: boolean;
  /** `derived` keys (a per-context key via HKDF-SHA256). */
  readonly derivation: boolean;
  /** Sign hashes the input first (ed25519 signs the message itself). */
  readonly hashesSignatureInput: boolean;
  /** Which `export/:type` names apply. */
  readonly exportTypes: readonly ExportType[];
  /** Key read shows per-version public keys. */
  readonly asymmetric: boolean;
}

const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const P384_N = BigInt('0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973');
const P521_N = BigInt('0x01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409');

const aeadType = (name: string, cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305', keyBytes: number): KeyTypeSpec => ({
  name, material: 'symmetric', keyBytes, aead: { cipher, nonceBytes: 12, tagBytes: 16 },
  encryption: true, signing: false, derivation: true, hashesSignatureInput: false,
  exportTypes: ['encryption-key', 'hmac-key'], asymmetric: false,
});

const ecdsaType = (name: string, curve: CurveFacts): KeyTypeSpec => ({
  name, material: 'ecdsa', curve,
  encryption: false, signing: true, derivation: false, hashesSignatureInput: true,
  exportTypes: ['signing-key', 'public-key', 'hmac-key'], asymmetric: true,
});

const rsaType = (bits: number): KeyTypeSpec => ({
  name: `rsa-${bits}`, material: 'rsa', rsaBits: bits,
  encryption: true, signing: true, derivation: false, hashesSignatureInput: true,
  exportTypes: ['encryption-key', 'signing-key', 'public-key', 'hmac-key'], asymmetric: true,
});

export const KEY_TYPES: Readonly<Record<string, KeyTypeSpec>> = Object.freeze({
  'aes128-gcm96': aeadType('aes128-gcm96', 'aes-128-gcm', 16),
  'aes256-gcm96': aeadType('aes256-gcm96', 'aes-256-gcm', 32),
  'chacha20-poly1305': aeadType('chacha20-poly1305', 'chacha20-poly1305', 32),
  ed25519: {
    name: 'ed25519', material: 'ed25519',
    encryption: false, signing: true, derivation: true, hashesSignatureInput: false,
    exportTypes: ['signing-key', 'public-key', 'hmac-key'], asymmetric: true,
  },
  'ecdsa-p256': ecdsaType('ecdsa-p256', { jwk: 'P-256', openssl: 'prime256v1', bits: 256, order: P256_N }),
  'ecdsa-p384': ecdsaType('ecdsa-p384', { jwk: 'P-384', openssl: 'secp384r1', bits: 384, order: P384_N }),
  'ecdsa-p521': ecdsaType('ecdsa-p521', { jwk: 'P-521', openssl: 'secp521r1', bits: 521, order: P521_N }),
  'rsa-2048': rsaType(2048),
  'rsa-3072': rsaType(3072),
  'rsa-4096': rsaType(4096),
  hmac: {
    name: 'hmac', material: 'symmetric', keyBytes: 32,
    encryption: false, signing: false, derivation: false, hashesSignatureInput: false,
    exportTypes: ['hmac-key'], asymmetric: false,
  },
});

export const DEFAULT_KEY_TYPE = 'aes256-gcm96';
export const HMAC_MIN_KEY_BYTES = 32;
export const HMAC_MAX_KEY_BYTES = 512;
/** Every key version also carries an HMAC key of this length (Vault's `hmac_key`). */
export const VERSION_HMAC_KEY_BYTES = 32;

export function keyTypeSpec(name: string): KeyTypeSpec {
  const spec = Object.prototype.hasOwnProperty.call(KEY_TYPES, name) ? KEY_TYPES[name] : undefined;
  if (!spec) throw new InvalidRequest(`unknown key type "${name}"`);
  return spec;
}

export interface HashSpec {
  readonly name: string;
  /** node:crypto digest name. */
  readonly node: string;
  readonly bytes: number;
  /** DER DigestInfo prefix for RSA PKCS#1 v1.5 over a prehashed input (RFC 8017 §9.2 note 1). */
  readonly digestInfo?: string;
}

export const HASH_ALGORITHMS: Readonly<Record<string, HashSpec>> = Object.freeze({
  sha1: { name: 'sha1', node: 'sha1', bytes: 20, digestInfo: '3021300906052b0e03021a05000414' },
  'sha2-224': { name: 'sha2-224', node: 'sha224', bytes: 28, digestInfo: '302d300d06096086480165030402040500041c' },
  'sha2-256': { name: 'sha2-256', node: 'sha256', bytes: 32, digestInfo: '3031300d060960864801650304020105000420' },
  'sha2-384': { name: 'sha2-384', node: 'sha384', bytes: 48, digestInfo: '3041300d060960864801650304020205000430' },
  'sha2-512': { name: 'sha2-512', node: 'sha512', bytes: 64, digestInfo: '3051300d060960864801650304020305000440' },
  'sha2-512-224': { name: 'sha2-512-224', node: 'sha512-224', bytes: 28 },
  'sha2-512-256': { name: 'sha2-512-256', node: 'sha512-256', bytes: 32 },
  'sha3-224': { name: 'sha3-224', node: 'sha3-224', bytes: 28 },
  'sha3-256': { name: 'sha3-256', node: 'sha3-256', bytes: 32 },
  'sha3-384': { name: 'sha3-384', node: 'sha3-384', bytes: 48 },
  'sha3-512': { name: 'sha3-512', node: 'sha3-512', bytes: 64 },
});

export const DEFAULT_HASH = 'sha2-256';

export function hashSpec(name: string): HashSpec {
  const spec = Object.prototype.hasOwnProperty.call(HASH_ALGORITHMS, name) ? HASH_ALGORITHMS[name] : undefined;
  if (!spec) throw new InvalidRequest(`unsupported hash algorithm "${name}"`);
  return spec;
}
