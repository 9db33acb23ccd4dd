/**
 * OCSP (RFC 6960) wire format: parse an OCSPRequest, build a signed BasicOCSPResponse.
 * Pure: no HTTP, no storage. The CA answers for its own certificates (responder by key hash).
 */
import * as asn1js from 'asn1js';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { x509, type StoredKey } from './crypto.js';

export const OCSP_STATUS = { successful: 0, malformedRequest: 1, internalError: 2, tryLater: 3, sigRequired: 5, unauthorized: 6 } as const;

const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const NONCE_OID = '1.3.6.1.5.5.7.48.1.2';
const BASIC_RESPONSE_OID = '1.3.6.1.5.5.7.48.1.1';

export class MalformedOcspRequest extends Error {}

export interface OcspCertId {
  /** The CertID exactly as requested, echoed in the response. */
  der: Buffer;
  hash: string;
  issuerNameHash: Buffer;
  issuerKeyHash: Buffer;
  /** Lowercase hex, no leading zero byte. */
  serialHex: string;
}

export interface OcspRequest {
  certIds: OcspCertId[];
  nonce?: Buffer;
}

function isContext(el: asn1js.AsnType, tag: number): boolean {
  return el.idBlock.tagClass === 3 && el.idBlock.tagNumber === tag;
}

function children(el: asn1js.AsnType | undefined): asn1js.AsnType[] {
  const value = (el as asn1js.Constructed | undefined)?.valueBlock?.value;
  if (!Array.isArray(value)) throw new MalformedOcspRequest('expected a constructed value');
  return value as asn1js.AsnType[];
}

function bytesOf(el: asn1js.AsnType | undefined): Buffer {
  if (!(el instanceof asn1js.OctetString) && !(el instanceof asn1js.Integer)) throw new MalformedOcspRequest('expected bytes');
  return Buffer.from(el.valueBlock.valueHexView);
}

export function parseOcspRequest(der: Buffer): OcspRequest {
  const parsed = asn1js.fromBER(new Uint8Array(der));
  if (parsed.offset === -1 || parsed.offset !== der.length) throw new MalformedOcspRequest('not DER');
  const [tbs] = children(parsed.result);
  const tbsItems = children(tbs);
  let index = 0;
  if (tbsItems[index] && isContext(tbsItems[index]!, 0)) index += 1; // version
  if (tbsItems[index] && isContext(tbsItems[index]!, 1)) index += 1; // requestorName
  const requestList = tbsItems[index];
  if (!(requestList instanceof asn1js.Sequence)) throw new MalformedOcspRequest('no request list');
  const certIds: OcspCertId[] = [];
  for (const request of children(requestList)) {
    const [certId] = children(request);
    const [algorithm, nameHash, keyHash, serial] = children(certId);
    const [oid] = children(algorithm);
    if (!(oid instanceof asn1js.ObjectIdentifier)) throw new MalformedOcspRequest('bad hash algorithm');
    const hash = HASHES[oid.valueBlock.toString()];
    if (!hash) throw new MalformedOcspRequest('unsupported hash algorithm');
    let serialBytes = bytesOf(serial);
    while (serialBytes.length > 1 && serialBytes[0] === 0) serialBytes = serialBytes.subarray(1);
    certIds.push({
      der: Buffer.from(certId!.toBER()),
      hash,
      issuerNameHash: bytesOf(nameHash),
      issuerKeyHash: bytesOf(keyHash),
      serialHex: serialBytes.toString('hex'),
    });
  }
  if (certIds.length === 0) throw new MalformedOcspRequest('empty request list');
  let nonce: Buffer | undefined;
  const extensions = tbsItems.slice(index + 1).find((el) => isContext(el, 2));
  if (extensions) {
    for (const ext of children(children(extensions)[0])) {
      const items = children(ext);
      const oid = items[0];
      if (oid instanceof asn1js.ObjectIdentifier && oid.valueBlock.toString() === NONCE_OID) {
        nonce = bytesOf(items[items.length - 1]);
      }
    }
  }
  return { certIds, nonce };
}

/** Name and key hashes of an issuer certificate under a given hash. */
export function issuerHashes(cert: x509.X509Certificate, hash: string): { name: Buffer; key: Buffer } {
  const spki = asn1js.fromBER(new Uint8Array(cert.publicKey.rawData)).result;
  const bits = children(spki)[1] as asn1js.BitString;
  const keyBytes = Buffer.from(bits.valueBlock.valueHexView);
  return {
    name: createHash(hash).update(Buffer.from(cert.subjectName.toArrayBuffer())).digest(),
    key: createHash(hash).update(keyBytes).digest(),
  };
}

export type CertStatus = { status: 'good' } | { status: 'unknown' } | { status: 'revoked'; revokedAt: Date };

export interface SingleAnswer {
  certId: OcspCertId;
  status: CertStatus;
}

function context(tag: number, value: asn1js.AsnType[]): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: tag }, value });
}

function time(date: Date): asn1js.GeneralizedTime {
  return new asn1js.GeneralizedTime({ valueDate: new Date(Math.floor(date.getTime() / 1000) * 1000) });
}

function statusElement(status: CertStatus): asn1js.AsnType {
  if (status.status === 'revoked') return context(1, [time(status.revokedAt)]);
  return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: status.status === 'good' ? 0 : 2 }, valueHex: new ArrayBuffer(0) });
}

function reparse(der: ArrayBuffer | Uint8Array): asn1js.AsnType {
  return asn1js.fromBER(der instanceof Uint8Array ? der : new Uint8Array(der)).result;
}

function signatureAlgorithm(key: StoredKey): { id: asn1js.Sequence; hash: string | null } {
  const oid = (value: string) => new asn1js.ObjectIdentifier({ value });
  if (key.type === 'rsa') return { id: new asn1js.Sequence({ value: [oid('1.2.840.113549.1.1.11'), new asn1js.Null()] }), hash: 'sha256' };
  if (key.type === 'ed25519') return { id: new asn1js.Sequence({ value: [oid('1.3.101.112')] }), hash: null };
  const byBits: Record<number, [string, string]> = { 256: ['1.2.840.10045.4.3.2', 'sha256'], 384: ['1.2.840.10045.4.3.3', 'sha384'], 521: ['1.2.840.10045.4.3.4', 'sha512'] };
  const [id, hash] = byBits[key.bits] ?? byBits[256]!;
  return { id: new asn1js.Sequence({ value: [oid(id)] }), hash };
}

export interface ResponseInput {
  issuer: x509.X509Certificate;
  key: StoredKey;
  answers: SingleAnswer[];
  nonce?: Buffer;
  now: Date;
  /** Seconds until the next update (the CRL's validity). */
  nextUpdateSeconds: number;
}

export function buildOcspResponse(input: ResponseInput): Buffer {
  const responderKeyHash = issuerHashes(input.issuer, 'sha1').key;
  const singles = input.answers.map((answer) => new asn1js.Sequence({
    value: [
      reparse(answer.certId.der),
      statusElement(answer.status),
      time(input.now),
      context(0, [time(new Date(input.now.getTime() + input.nextUpdateSeconds * 1000))]),
    ],
  }));
  const responseData = new asn1js.Sequence({
    value: [
      context(2, [new asn1js.OctetString({ valueHex: new Uint8Array(responderKeyHash) })]),
      time(input.now),
      new asn1js.Sequence({ value: singles }),
      ...(input.nonce ? [context(1, [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [
        new asn1js.ObjectIdentifier({ value: NONCE_OID }),
        new asn1js.OctetString({ valueHex: new Uint8Array(input.nonce) }),
      ] })] })])] : []),
    ],
  });
  const tbsDer = Buffer.from(responseData.toBER());
  const { id, hash } = signatureAlgorithm(input.key);
  const privateKey = createPrivateKey({ key: Buffer.from(input.key.pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  const signature = sign(hash, tbsDer, { key: privateKey, dsaEncoding: 'der' });
  const basic = new asn1js.Sequence({
    value: [
      reparse(tbsDer),
      id,
      new asn1js.BitString({ valueHex: new Uint8Array(signature) }),
      context(0, [new asn1js.Sequence({ value: [reparse(input.issuer.rawData)] })]),
    ],
  });
  return ocspEnvelope(OCSP_STATUS.successful, Buffer.from(basic.toBER()));
}

export function ocspEnvelope(status: number, basic?: Buffer): Buffer {
  const value: asn1js.AsnType[] = [new asn1js.Enumerated({ value: status })];
  if (basic) {
    value.push(context(0, [new asn1js.Sequence({ value: [
      new asn1js.ObjectIdentifier({ value: BASIC_RESPONSE_OID }),
      new asn1js.OctetString({ valueHex: new Uint8Array(basic) }),
    ] })]));
  }
  return Buffer.from(new asn1js.Sequence({ value }).toBER());
}
