/**
 * Key material for the PKI engine: one table of key types (webcrypto generation and signing
 * parameters, allowed sizes), PKCS#8 import/export, private key PEM forms and serial numbers.
 * @peculiar/x509 2.x needs reflect-metadata loaded once before it; this module is the one
 * place that loads it, so every other pki file imports x509 from here.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
export { x509 };

export type KeyType = 'rsa' | 'ec' | 'ed25519';

interface KeyTypeInfo {
  defaultBits: number;
  allowedBits: readonly number[];
  generate(bits: number): RsaHashedKeyGenParams | EcKeyGenParams | Algorithm;
  signing(bits: number): Algorithm | EcdsaParams | RsaHashedImportParams;
  importParams(bits: number): Algorithm | RsaHashedImportParams | EcKeyImportParams;
  /** `private_key_type` as Vault reports it. */
  vaultName: string;
  /** PEM label of the traditional (non-PKCS#8) private key form, when there is one. */
  traditional?: 'pkcs1' | 'sec1';
}

const EC_CURVES: Record<number, { curve: string; hash: string }> = {
  224: { curve: 'P-224', hash: 'SHA-256' },
  256: { curve: 'P-256', hash: 'SHA-256' },
  384: { curve: 'P-384', hash: 'SHA-384' },
  521: { curve: 'P-521', hash: 'SHA-512' },
};

const RSA_ALG = 'RSASSA-PKCS1-v1_5';

export const KEY_TYPES: Record<KeyType, KeyTypeInfo> = {
  rsa: {
    defaultBits: 2048,
    allowedBits: [2048, 3072, 4096, 8192],
    generate: (bits) => ({ name: RSA_ALG, modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }),
    signing: () => ({ name: RSA_ALG, hash: 'SHA-256' }),
    importParams: () => ({ name: RSA_ALG, hash: 'SHA-256' }),
    vaultName: 'rsa',
    traditional: 'pkcs1',
  },
  ec: {
    defaultBits: 256,
    allowedBits: [256, 384, 521],
    generate: (bits) => ({ name: 'ECDSA', namedCurve: EC_CURVES[bits]!.curve }),
    signing: (bits) => ({ name: 'ECDSA', hash: EC_CURVES[bits]!.hash }),
    importParams: (bits) => ({ name: 'ECDSA', namedCurve: EC_CURVES[bits]!.curve }),
    vaultName: 'ec',
    traditional: 'sec1',
  },
  ed25519: {
    defaultBits: 0,
    allowedBits: [0],
    generate: () => ({ name: 'Ed25519' }),
    signing: () => ({ name: 'Ed25519' }),
    importParams: () => ({ name: 'Ed25519' }),
    vaultName: 'ed25519',
  },
};

export function isKeyType(value: string): value is KeyType {
  return Object.hasOwn(KEY_TYPES, value);
}

/** Validates key_type/key_bits (0 = the type's default) and returns the effective pair. */
export function resolveKeySpec(keyType: string, keyBits: number): { type: KeyType; bits: number } {
  if (!isKeyType(keyType)) throw new InvalidRequest('unsupported key_type: use rsa, ec or ed25519');
  const info = KEY_TYPES[keyType];
  const bits = keyBits === 0 ? info.defaultBits : keyBits;
  if (!info.allowedBits.includes(bits)) throw new InvalidRequest(`unsupported key_bits for key_type ${keyType}`);
  return { type: keyType, bits };
}

/** A private key as stored: PKCS#8 DER plus the facts needed to import it again. */
export interface StoredKey {
  type: KeyType;
  bits: number;
  pkcs8: string; // base64 DER
}

export interface KeyPair {
  spec: StoredKey;
  keys: CryptoKeyPair;
}

export async function generateKeyPair(type: KeyType, bits: number): Promise<KeyPair> {
  const keys = (await webcrypto.subtle.generateKey(KEY_TYPES[type].generate(bits) as any, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as any));
  return { spec: { type, bits, pkcs8: pkcs8.toString('base64') }, keys };
}

export async function importSigningKey(spec: StoredKey): Promise<CryptoKey> {
  return (await webcrypto.subtle.importKey('pkcs8', Buffer.from(spec.pkcs8, 'base64'), KEY_TYPES[spec.type].importParams(spec.bits) as any, false, ['sign'])) as CryptoKey;
}

export function signingAlgorithm(spec: Pick<StoredKey, 'type' | 'bits'>): Algorithm {
  return KEY_TYPES[spec.type].signing(spec.bits) as Algorithm;
}

/** Vault's private_key_format: "" / "pem" / "der" give the traditional form, "pkcs8" PKCS#8 PEM. */
export function privateKeyOutput(spec: StoredKey, format: string): string {
  const der = Buffer.from(spec.pkcs8, 'base64');
  const traditional = KEY_TYPES[spec.type].traditional;
  if (format === 'pkcs8' || !traditional) {
    return format === 'der' ? der.toString('base64') : x509.PemConverter.encode(der, 'PRIVATE KEY');
  }
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (format === 'der') return (key.export({ format: 'der', type: traditional }) as Buffer).toString('base64');
  return (key.export({ format: 'pem', type: traditional }) as string).trimEnd();
}

/** A positive, non-zero 20-byte serial from the system's random source, as lowercase hex. */
export async function newSerialHex(randomBytes: (n: number) => Promise<Buffer>): Promise<string> {
  const bytes = Buffer.from(await randomBytes(20));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** "0a1b…" or "0a:1b:…" or "0a-1b-…" → Vault's colon form "0a:1b:…". */
export function colonSerial(serial: string): string {
  const hex = serial.toLowerCase().replace(/[:-]/g, '');
  if (!/^[0-9a-f]+$/.test(hex)) throw new InvalidRequest('invalid serial number');
  const even = hex.length % 2 === 1 ? `0${hex}` : hex;
  return even.match(/../g)!.join(':');
}

export function certPem(cert: x509.X509Certificate): string {
  return cert.toString('pem');
}
