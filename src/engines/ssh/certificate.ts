/**
 * OpenSSH certificates (PROTOCOL.certkeys): the byte layout, signed with node:crypto.
 *
 *   string  "<type>-cert-v01@openssh.com"   string nonce
 *   <the subject key's public fields, as in its blob after the type name>
 *   uint64 serial   uint32 type (1 user, 2 host)   string key id   string valid principals
 *   uint64 valid after   uint64 valid before   string critical options   string extensions
 *   string reserved   string signature key (CA blob)   string signature (over all of the above)
 */
import type { KeyObject } from 'node:crypto';
import { publicKeyBlob, sshSignature, type ParsedPublicKey, type RsaSigner } from './key-types.js';
import { SshReader, SshWriter } from './wire.js';

export const CERT_TYPE = { user: 1, host: 2 } as const;

export interface CertificateSpec {
  subject: ParsedPublicKey;
  nonce: Uint8Array;
  serial: bigint;
  certType: keyof typeof CERT_TYPE;
  keyId: string;
  principals: string[];
  /** Seconds since the epoch. */
  validAfter: number;
  validBefore: number;
  criticalOptions: Record<string, string>;
  extensions: Record<string, string>;
}

/** Options and extensions: sorted by name; a value is itself wrapped in a string unless empty. */
export function encodeOptions(options: Record<string, string>): Buffer {
  const w = new SshWriter();
  for (const name of Object.keys(options).sort()) {
    const value = options[name]!;
    w.string(name);
    w.string(value === '' ? Buffer.alloc(0) : new SshWriter().string(value).bytes());
  }
  return w.bytes();
}

/** Builds and signs the certificate; returns its blob. */
export function encodeCertificate(spec: CertificateSpec, caKey: KeyObject, rsaSigner?: RsaSigner): Buffer {
  const subject = new SshReader(spec.subject.blob, 'public key');
  subject.string();
  const principals = new SshWriter();
  for (const p of spec.principals) principals.string(p);
  const body = new SshWriter()
    .string(spec.subject.type.certName)
    .string(spec.nonce)
    .raw(subject.rest())
    .uint64(spec.serial)
    .uint32(CERT_TYPE[spec.certType])
    .string(spec.keyId)
    .string(principals.bytes())
    .uint64(BigInt(Math.max(0, spec.validAfter)))
    .uint64(BigInt(Math.max(0, spec.validBefore)))
    .string(encodeOptions(spec.criticalOptions))
    .string(encodeOptions(spec.extensions))
    .string('')
    .string(publicKeyBlob(caKey))
    .bytes();
  return Buffer.concat([body, new SshWriter().string(sshSignature(caKey, body, rsaSigner)).bytes()]);
}

export function formatCertificate(spec: Pick<CertificateSpec, 'subject'>, blob: Buffer): string {
  return `${spec.subject.type.certName} ${blob.toString('base64')}\n`;
}
