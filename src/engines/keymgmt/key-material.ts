/**
 * One key version's secret part: generation, the stored form and the public key text.
 *
 * Stored form (base64 inside the key record, see records.ts):
 *   aes: the raw key bytes;  rsa / ec: PKCS#8 DER of the private key.
 * AES keys come from the mount's random source (entropy augmentation applies); RSA and EC key
 * pairs from OpenSSL's generator, since node:crypto cannot take our source for them.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { StorageError } from '../../errors.js';
import type { KeyTypeSpec } from './key-types.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export type RandomSource = (length: number) => Promise<Buffer>;

export type Material =
  | { kind: 'aes'; raw: Buffer }
  | { kind: 'rsa' | 'ec'; privateKey: KeyObject };

export async function generateMaterial(spec: KeyTypeSpec, random: RandomSource): Promise<Material> {
  switch (spec.material) {
    case 'aes':
      return { kind: 'aes', raw: await random(spec.keyBytes!) };
    case 'rsa': {
      const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: spec.rsaBits!, publicExponent: 0x10001 });
      return { kind: 'rsa', privateKey };
    }
    case 'ec': {
      const { privateKey } = await generateKeyPairAsync('ec', { namedCurve: spec.curve! });
      return { kind: 'ec', privateKey };
    }
  }
}

export function materialToStored(material: Material): Buffer {
  return material.kind === 'aes' ? Buffer.from(material.raw) : material.privateKey.export({ format: 'der', type: 'pkcs8' });
}

export function materialFromStored(spec: KeyTypeSpec, stored: Buffer): Material {
  if (spec.material === 'aes') {
    if (stored.length !== spec.keyBytes) throw new StorageError('keymgmt: stored AES key has the wrong length');
    return { kind: 'aes', raw: Buffer.from(stored) };
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: stored, format: 'der', type: 'pkcs8' });
  } catch {
    throw new StorageError('keymgmt: stored private key does not parse');
  }
  if (privateKey.asymmetricKeyType !== (spec.material === 'rsa' ? 'rsa' : 'ec')) throw new StorageError('keymgmt: stored private key has the wrong algorithm');
  return { kind: spec.material, privateKey };
}

/** PEM (SPKI) public key for key reads; undefined for symmetric keys. */
export function publicKeyPem(material: Material): string | undefined {
  if (material.kind === 'aes') return undefined;
  return createPublicKey(material.privateKey).export({ format: 'pem', type: 'spki' }).toString();
}
