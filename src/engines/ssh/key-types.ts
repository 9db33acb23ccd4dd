/**
 * SSH public key algorithms in one table: wire name, certificate name, node:crypto facts.
 * Everything about a key type is dispatched through KEY_TYPES.
 */
import { createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { SshReader, SshWriter } from './wire.js';

export interface SshKeyType {
  /** Wire name, e.g. "ssh-ed25519". */
  name: string;
  /** Certificate type name per PROTOCOL.certkeys. */
  certName: string;
  kind: 'ed25519' | 'rsa' | 'ecdsa';
  /** ECDSA: SSH curve identifier, JWK curve, hash, coordinate length. */
  curve?: { ssh: string; jwk: string; hash: string; bytes: number; bits: number };
}

export const KEY_TYPES: readonly SshKeyType[] = [
  { name: 'ssh-ed25519', certName: 'ssh-ed25519-cert-v01@openssh.com', kind: 'ed25519' },
  { name: 'ssh-rsa', certName: 'ssh-rsa-cert-v01@openssh.com', kind: 'rsa' },
  { name: 'ecdsa-sha2-nistp256', certName: 'ecdsa-sha2-nistp256-cert-v01@openssh.com', kind: 'ecdsa', curve: { ssh: 'nistp256', jwk: 'P-256', hash: 'sha256', bytes: 32, bits: 256 } },
  { name: 'ecdsa-sha2-nistp384', certName: 'ecdsa-sha2-nistp384-cert-v01@openssh.com', kind: 'ecdsa', curve: { ssh: 'nistp384', jwk: 'P-384', hash: 'sha384', bytes: 48, bits: 384 } },
  { name: 'ecdsa-sha2-nistp521', certName: 'ecdsa-sha2-nistp521-cert-v01@openssh.com', kind: 'ecdsa', curve: { ssh: 'nistp521', jwk: 'P-521', hash: 'sha512', bytes: 66, bits: 521 } },
];

/** RSA signature algorithms (algorithm_signer) and their hashes. */
export const RSA_SIGNERS = { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512', 'ssh-rsa': 'sha1' } as const;
export type RsaSigner = keyof typeof RSA_SIGNERS;

export function keyTypeByName(name: string): SshKeyType | undefined {
  return KEY_TYPES.find((t) => t.name === name);
}

const b64u = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64url');

/** The key type of a node:crypto key (public or private). */
export function keyTypeOf(key: KeyObject): SshKeyType {
  if (key.asymmetricKeyType === 'ed25519') return KEY_TYPES[0]!;
  if (key.asymmetricKeyType === 'rsa') return KEY_TYPES[1]!;
  if (key.asymmetricKeyType === 'ec') {
    const crv = key.asymmetricKeyDetails?.namedCurve;
    const found = KEY_TYPES.find((t) => t.curve && ({ 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' } as Record<string, string>)[t.curve.jwk] === crv);
    if (found) return found;
  }
  throw new InvalidRequest('unsupported key type');
}

/** The SSH public key blob (string type, then the type's fields). */
export function publicKeyBlob(key: KeyObject): Buffer {
  const type = keyTypeOf(key);
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  const w = new SshWriter().string(type.name);
  switch (type.kind) {
    case 'ed25519':
      return w.string(b64u(jwk.x)).bytes();
    case 'rsa':
      return w.mpint(b64u(jwk.e)).mpint(b64u(jwk.n)).bytes();
    case 'ecdsa':
      return w.string(type.curve!.ssh).string(Buffer.concat([Buffer.from([4]), b64u(jwk.x), b64u(jwk.y)])).bytes();
  }
}

export interface ParsedPublicKey {
  type: SshKeyType;
  blob: Buffer;
  key: KeyObject;
}

/** Decodes a public key blob into a node:crypto key; refuses unknown types and trailing bytes. */
export function parsePublicKeyBlob(blob: Buffer): ParsedPublicKey {
  const r = new SshReader(blob, 'public key');
  const type = keyTypeByName(r.text());
  if (!type) throw new InvalidRequest('unsupported public key type');
  let jwk: Record<string, string>;
  switch (type.kind) {
    case 'ed25519': {
      const x = r.string();
      if (x.length !== 32) throw new InvalidRequest('malformed public key');
      jwk = { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') };
      break;
    }
    case 'rsa': {
      const e = r.mpint();
      const n = r.mpint();
      jwk = { kty: 'RSA', e: e.toString('base64url'), n: n.toString('base64url') };
      break;
    }
    case 'ecdsa': {
      const curve = type.curve!;
      if (r.text() !== curve.ssh) throw new InvalidRequest('malformed public key');
      const q = r.string();
      if (q.length !== 1 + 2 * curve.bytes || q[0] !== 4) throw new InvalidRequest('malformed public key');
      jwk = { kty: 'EC', crv: curve.jwk, x: q.subarray(1, 1 + curve.bytes).toString('base64url'), y: q.subarray(1 + curve.bytes).toString('base64url') };
      break;
    }
  }
  if (!r.done) throw new InvalidRequest('malformed public key');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new InvalidRequest('malformed public key');
  }
  return { type, blob, key };
}

/** Parses an authorized_keys style line: "type base64 [comment]". */
export function parseAuthorizedKey(line: string): ParsedPublicKey {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 2 || !/^[A-Za-z0-9+/]+={0,2}$/.test(parts[1]!)) throw new InvalidRequest('failed to parse public key');
  const parsed = parsePublicKeyBlob(Buffer.from(parts[1]!, 'base64'));
  if (parsed.type.name !== parts[0]) throw new InvalidRequest('failed to parse public key');
  return parsed;
}

/** "type base64\n", as ssh-keygen writes a .pub file (without a comment). */
export function formatAuthorizedKey(typeName: string, blob: Buffer): string {
  return `${typeName} ${blob.toString('base64')}\n`;
}

/** Signs `data` with a CA key and returns the SSH signature blob (string alg, string sig). */
export function sshSignature(caKey: KeyObject, data: Buffer, rsaSigner: RsaSigner = 'rsa-sha2-256'): Buffer {
  const type = keyTypeOf(caKey);
  switch (type.kind) {
    case 'ed25519':
      return new SshWriter().string(type.name).string(cryptoSign(null, data, caKey)).bytes();
    case 'rsa':
      return new SshWriter().string(rsaSigner).string(cryptoSign(RSA_SIGNERS[rsaSigner], data, caKey)).bytes();
    case 'ecdsa': {
      const curve = type.curve!;
      const rs = cryptoSign(curve.hash, data, { key: caKey, dsaEncoding: 'ieee-p1363' });
      const inner = new SshWriter().mpint(rs.subarray(0, curve.bytes)).mpint(rs.subarray(curve.bytes)).bytes();
      return new SshWriter().string(type.name).string(inner).bytes();
    }
  }
}
