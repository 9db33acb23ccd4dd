/**
 * The OpenSSH private key format (PROTOCOL.key), unencrypted only ("none" cipher and KDF):
 * what `ssh-keygen` writes by default and `ssh -i` reads for every key type.
 */
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { keyTypeByName, keyTypeOf, publicKeyBlob } from './key-types.js';
import { SshReader, SshWriter } from './wire.js';

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';

const b64u = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64url');

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + bytes.toString('hex'));
}

function fromBigInt(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Buffer.from(hex, 'hex');
}

function leftPad(bytes: Buffer, length: number): Buffer {
  if (bytes.length >= length) return bytes;
  return Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}

export function encodeOpensshPrivateKey(key: KeyObject, comment = ''): string {
  const type = keyTypeOf(key);
  const jwk = key.export({ format: 'jwk' });
  const pub = publicKeyBlob(key);
  const check = randomBytes(4).readUInt32BE();
  const w = new SshWriter().uint32(check).uint32(check).string(type.name);
  switch (type.kind) {
    case 'ed25519': {
      const pk = b64u(jwk.x);
      w.string(pk).string(Buffer.concat([b64u(jwk.d), pk]));
      break;
    }
    case 'rsa':
      w.mpint(b64u(jwk.n)).mpint(b64u(jwk.e)).mpint(b64u(jwk.d)).mpint(b64u(jwk.qi)).mpint(b64u(jwk.p)).mpint(b64u(jwk.q));
      break;
    case 'ecdsa':
      w.string(type.curve!.ssh).string(Buffer.concat([Buffer.from([4]), b64u(jwk.x), b64u(jwk.y)])).mpint(b64u(jwk.d));
      break;
  }
  w.string(comment);
  let section = w.bytes();
  const pad = (8 - (section.length % 8)) % 8;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = new SshWriter().raw(MAGIC).string('none').string('none').string('').uint32(1).string(pub).string(section).bytes();
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

export function isOpensshPrivateKey(text: string): boolean {
  return text.trim().startsWith(BEGIN);
}

/** Parses an unencrypted OpenSSH private key into a node:crypto private key. */
export function parseOpensshPrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (!trimmed.startsWith(BEGIN) || !trimmed.endsWith(END)) throw new InvalidRequest('failed to parse private key');
  const body = Buffer.from(trimmed.slice(BEGIN.length, -END.length).replace(/\s+/g, ''), 'base64');
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw new InvalidRequest('failed to parse private key');
  const r = new SshReader(body.subarray(MAGIC.length), 'private key');
  const cipher = r.text();
  const kdf = r.text();
  r.string();
  if (cipher !== 'none' || kdf !== 'none') throw new InvalidRequest('encrypted private keys are not supported');
  if (r.uint32() !== 1) throw new InvalidRequest('failed to parse private key');
  r.string();
  const s = new SshReader(r.string(), 'private key');
  if (s.uint32() !== s.uint32()) throw new InvalidRequest('failed to parse private key');
  const type = keyTypeByName(s.text());
  if (!type) throw new InvalidRequest('unsupported private key type');
  let jwk: Record<string, string>;
  switch (type.kind) {
    case 'ed25519': {
      const pk = s.string();
      const sk = s.string();
      if (pk.length !== 32 || sk.length !== 64) throw new InvalidRequest('failed to parse private key');
      jwk = { kty: 'OKP', crv: 'Ed25519', x: pk.toString('base64url'), d: sk.subarray(0, 32).toString('base64url') };
      break;
    }
    case 'rsa': {
      const [n, e, d, qi, p, q] = [s.mpint(), s.mpint(), s.mpint(), s.mpint(), s.mpint(), s.mpint()];
      const dBig = toBigInt(d);
      const dp = fromBigInt(dBig % (toBigInt(p) - 1n));
      const dq = fromBigInt(dBig % (toBigInt(q) - 1n));
      jwk = { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url'), d: d.toString('base64url'), p: p.toString('base64url'), q: q.toString('base64url'), dp: dp.toString('base64url'), dq: dq.toString('base64url'), qi: qi.toString('base64url') };
      break;
    }
    case 'ecdsa': {
      const curve = type.curve!;
      if (s.text() !== curve.ssh) throw new InvalidRequest('failed to parse private key');
      const point = s.string();
      const d = s.mpint();
      if (point.length !== 1 + 2 * curve.bytes || point[0] !== 4) throw new InvalidRequest('failed to parse private key');
      jwk = { kty: 'EC', crv: curve.jwk, x: point.subarray(1, 1 + curve.bytes).toString('base64url'), y: point.subarray(1 + curve.bytes).toString('base64url'), d: leftPad(d, curve.bytes).toString('base64url') };
      break;
    }
  }
  try {
    return createPrivateKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new InvalidRequest('failed to parse private key');
  }
}
