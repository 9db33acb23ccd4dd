import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as asn1js from 'asn1js';
import { MalformedOcspRequest, ocspEnvelope, parseOcspRequest } from './ocsp.js';

function certId(hashOid: string, serial: number[]): asn1js.Sequence {
  return new asn1js.Sequence({ value: [
    new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: hashOid }), new asn1js.Null()] }),
    new asn1js.OctetString({ valueHex: new Uint8Array(20).fill(1) }),
    new asn1js.OctetString({ valueHex: new Uint8Array(20).fill(2) }),
    new asn1js.Integer({ valueHex: new Uint8Array(serial) }),
  ] });
}

function request(ids: asn1js.Sequence[], nonce?: Uint8Array): Buffer {
  const tbs: asn1js.AsnType[] = [new asn1js.Sequence({ value: ids.map((id) => new asn1js.Sequence({ value: [id] })) })];
  if (nonce) {
    tbs.push(new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 2 }, value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [
      new asn1js.ObjectIdentifier({ value: '1.3.6.1.5.5.7.48.1.2' }),
      new asn1js.OctetString({ valueHex: nonce }),
    ] })] })] }));
  }
  return Buffer.from(new asn1js.Sequence({ value: [new asn1js.Sequence({ value: tbs })] }).toBER());
}

describe('OCSP request parsing', () => {
  it('reads CertIDs (hash, issuer hashes, serial without the sign byte) and the nonce', () => {
    const parsed = parseOcspRequest(request([certId('1.3.14.3.2.26', [0x00, 0x9a, 0x01])], new Uint8Array([4, 2, 0xaa, 0xbb])));
    assert.equal(parsed.certIds.length, 1);
    assert.equal(parsed.certIds[0]!.hash, 'sha1');
    assert.equal(parsed.certIds[0]!.serialHex, '9a01');
    assert.deepEqual(parsed.certIds[0]!.issuerNameHash, Buffer.alloc(20, 1));
    assert.deepEqual(parsed.nonce, Buffer.from([4, 2, 0xaa, 0xbb]));
    assert.equal(parseOcspRequest(request([certId('2.16.840.1.101.3.4.2.1', [5])])).certIds[0]!.hash, 'sha256');
  });

  it('refuses malformed requests with one error type', () => {
    assert.throws(() => parseOcspRequest(Buffer.from('not der')), MalformedOcspRequest);
    assert.throws(() => parseOcspRequest(request([])), MalformedOcspRequest);
    assert.throws(() => parseOcspRequest(request([certId('1.2.3.4', [1])])), MalformedOcspRequest);
    const good = request([certId('1.3.14.3.2.26', [1])]);
    assert.throws(() => parseOcspRequest(Buffer.concat([good, Buffer.from([0])])), MalformedOcspRequest);
  });

  it('encodes an error response as a bare status', () => {
    assert.deepEqual(ocspEnvelope(1), Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x01]));
    assert.deepEqual(ocspEnvelope(6), Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x06]));
  });
});
