/**
 * The CA key pair in the mount's storage at `config/ca` (seal-wrapped): versioned JSON with the
 * private key as PKCS#8 PEM and the public key as an authorized_keys line.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { BarrierStorage } from '../../barrier/types.js';
import { InvalidRequest } from '../../errors.js';
import { formatAuthorizedKey, keyTypeOf, publicKeyBlob } from './key-types.js';
import { isOpensshPrivateKey, parseOpensshPrivateKey } from './openssh-private-key.js';

export const CA_PATH = 'config/ca';

export interface CaKey {
  privateKey: KeyObject;
  /** authorized_keys line ending in "\n". */
  publicKey: string;
}

interface StoredCa {
  version: 1;
  private_key: string;
  public_key: string;
}

const generate = promisify(generateKeyPair);

/** A key generation request: `ssh-rsa`/`rsa`, `ssh-ed25519`/`ed25519`, `ecdsa-sha2-nistpN`, `ec`/`ecdsa` with bits. */
export async function generateSshKey(keyType: string, keyBits: number, rsaDefaultBits: number): Promise<KeyObject> {
  switch (keyType) {
    case 'ssh-rsa':
    case 'rsa': {
      const bits = keyBits === 0 ? rsaDefaultBits : keyBits;
      if (![2048, 3072, 4096].includes(bits)) throw new InvalidRequest('key_bits for rsa must be 2048, 3072 or 4096');
      return (await generate('rsa', { modulusLength: bits })).privateKey;
    }
    case 'ssh-ed25519':
    case 'ed25519':
      return (await generate('ed25519')).privateKey;
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521':
    case 'ec':
    case 'ecdsa': {
      const bits = keyType.startsWith('ecdsa-sha2-nistp') ? Number(keyType.slice('ecdsa-sha2-nistp'.length)) : keyBits === 0 ? 256 : keyBits;
      const curve = ({ 256: 'prime256v1', 384: 'secp384r1', 521: 'secp521r1' } as Record<number, string>)[bits];
      if (!curve) throw new InvalidRequest('key_bits for ec must be 256, 384 or 521');
      return (await generate('ec', { namedCurve: curve })).privateKey;
    }
    default:
      throw new InvalidRequest('unsupported key_type');
  }
}

/** Reads a private key in OpenSSH format or PEM (PKCS#8, PKCS#1, SEC1). */
export function parsePrivateKey(text: string): KeyObject {
  if (isOpensshPrivateKey(text)) return parseOpensshPrivateKey(text);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new InvalidRequest('failed to parse private key');
  }
  keyTypeOf(key);
  return key;
}

export function caFromPrivateKey(privateKey: KeyObject): CaKey {
  const type = keyTypeOf(privateKey);
  return { privateKey, publicKey: formatAuthorizedKey(type.name, publicKeyBlob(createPublicKey(privateKey))) };
}

export function createCaStore(storage: Pick<BarrierStorage, 'get' | 'put' | 'delete'>) {
  return {
    async get(): Promise<CaKey | undefined> {
      const raw = await storage.get(CA_PATH);
      if (!raw) return undefined;
      const stored = JSON.parse(raw.toString('utf8')) as StoredCa;
      if (stored.version !== 1) throw new Error('unsupported ssh CA entry version');
      return { privateKey: createPrivateKey({ key: stored.private_key, format: 'pem' }), publicKey: stored.public_key };
    },
    async put(ca: CaKey): Promise<void> {
      const stored: StoredCa = {
        version: 1,
        private_key: ca.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        public_key: ca.publicKey,
      };
      await storage.put(CA_PATH, Buffer.from(JSON.stringify(stored)));
    },
    delete: () => storage.delete(CA_PATH),
  };
}

export type CaStore = ReturnType<typeof createCaStore>;
