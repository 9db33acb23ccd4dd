/**
 * Key material per material kind: generation from the mount's random source, the stored form,
 * and the export formats Vault uses. One ops object per kind; callers dispatch through
 * MATERIAL_OPS[spec.material].
 *
 * Stored form (inside the key record, see key-codec.ts): `key` is base64 of
 *   symmetric: the raw key;  ed25519: seed ‖ public key (64 bytes, as Vault stores it);
 *   ecdsa / rsa: PKCS#8 DER of the private key.
 */
import { createECDH, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { InvalidRequest, StorageError } from '../../errors.js';
import type { ExportType, KeyTypeSpec } from './key-types.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export type RandomSource = (length: number) => Promise<Buffer>;

/** One key version's secret part. */
export interface Material {
  /** Raw bytes: symmetric key, or ed25519 seed ‖ public key. Empty for ecdsa/rsa. */
  raw: Buffer;
  privateKey?: KeyObject;
  publicKey?: KeyObject;
}

interface MaterialOps {
  generate(spec: KeyTypeSpec, random: RandomSource, keyBytes: number): Promise<Material>;
  toStored(material: Material): Buffer;
  fromStored(spec: KeyTypeSpec, stored: Buffer): Material;
  /** Vault's public_key text for key reads; undefined for symmetric keys. */
  publicKeyText(material: Material): string | undefined;
  /** Export text for a given export type (already checked against spec.exportTypes). */
  exportText(material: Material, type: Exclude<ExportType, 'hmac-key'>): string;
}

/** PKCS#8 wrapper for a raw Ed25519 seed (RFC 8410 §7). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519FromSeed(seed: Buffer): Material {
  if (seed.length !== 32) throw new StorageError('transit: ed25519 seed must be 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return { raw: Buffer.concat([seed, pub]), privateKey, publicKey };
}

const symmetric: MaterialOps = {
  async generate(_spec, random, keyBytes) {
    return { raw: await random(keyBytes) };
  },
  toStored: (m) => m.raw,
  fromStored: (_spec, stored) => ({ raw: Buffer.from(stored) }),
  publicKeyText: () => undefined,
  exportText: (m) => m.raw.toString('base64'),
};

const ed25519: MaterialOps = {
  async generate(_spec, random) {
    return ed25519FromSeed(await random(32));
  },
  toStored: (m) => m.raw,
  fromStored(_spec, stored) {
    if (stored.length !== 64) throw new StorageError('transit: ed25519 key must be 64 bytes');
    return ed25519FromSeed(stored.subarray(0, 32));
  },
  publicKeyText: (m) => m.raw.subarray(32).toString('base64'),
  exportText: (m, type) => (type === 'public-key' ? m.raw.subarray(32) : m.raw).toString('base64'),
};

function pkcs8Material(stored: Buffer): Material {
  try {
    const privateKey = createPrivateKey({ key: stored, format: 'der', type: 'pkcs8' });
    return { raw: Buffer.alloc(0), privateKey, publicKey: createPublicKey(privateKey) };
  } catch {
    throw new StorageError('transit: stored private key does not parse');
  }
}

const pemPublic = (m: Material) => m.publicKey!.export({ format: 'pem', type: 'spki' }).toString();

const ecdsa: MaterialOps = {
  async generate(spec, random) {
    const curve = spec.curve!;
    const bytes = Math.ceil(curve.bits / 8);
    const excessBits = bytes * 8 - curve.bits;
    // Rejection sampling over [1, n-1] from the mount's (possibly seal-augmented) random source.
    for (let attempt = 0; attempt < 64; attempt++) {
      const d = await random(bytes);
      if (excessBits > 0) d[0] &= 0xff >> excessBits;
      const scalar = BigInt(`0x${d.toString('hex')}`);
      if (scalar === 0n || scalar >= curve.order) continue;
      const ecdh = createECDH(curve.openssl);
      ecdh.setPrivateKey(d);
      const point = ecdh.getPublicKey();
      const x = point.subarray(1, 1 + bytes);
      const y = point.subarray(1 + bytes);
      const privateKey = createPrivateKey({
        key: { kty: 'EC', crv: curve.jwk, d: d.toString('base64url'), x: x.toString('base64url'), y: y.toString('base64url') },
        format: 'jwk',
      });
      return { raw: Buffer.alloc(0), privateKey, publicKey: createPublicKey(privateKey) };
    }
    throw new InvalidRequest('could not generate an ECDSA key');
  },
  toStored: (m) => m.privateKey!.export({ format: 'der', type: 'pkcs8' }),
  fromStored: (_spec, stored) => pkcs8Material(stored),
  publicKeyText: pemPublic,
  exportText: (m, type) => (type === 'public-key' ? pemPublic(m) : m.privateKey!.export({ format: 'pem', type: 'sec1' }).toString()),
};

const rsa: MaterialOps = {
  async generate(spec) {
    // RSA primes come from OpenSSL's generator: node:crypto offers no way to feed our source.
    const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: spec.rsaBits!, publicExponent: 0x10001 });
    return { raw: Buffer.alloc(0), privateKey, publicKey };
  },
  toStored: (m) => m.privateKey!.export({ format: 'der', type: 'pkcs8' }),
  fromStored: (_spec, stored) => pkcs8Material(stored),
  publicKeyText: pemPublic,
  exportText: (m, type) => (type === 'public-key' ? pemPublic(m) : m.privateKey!.export({ format: 'pem', type: 'pkcs1' }).toString()),
};

export const MATERIAL_OPS: Readonly<Record<KeyTypeSpec['material'], MaterialOps>> = Object.freeze({ symmetric, ed25519, ecdsa, rsa });
