/**
 * Certificate and CRL parsing for the cert method: PEM bundles into node:crypto
 * X509Certificate objects, the names a login is matched on (via @peculiar/x509), CRL serials.
 */
import 'reflect-metadata';
import { X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { InvalidRequest } from '../../errors.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM bundle; at least one, all parseable. */
export function parsePemBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new InvalidRequest('failed to parse certificate: no PEM certificate found');
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new InvalidRequest('failed to parse certificate');
    }
  });
}

export interface CertNames {
  commonName: string;
  organizationalUnits: string[];
  dnsNames: string[];
  emails: string[];
  uris: string[];
  subjectKeyId: string;
  authorityKeyId: string;
}

const colonHex = (hex: string) => (hex.match(/.{2}/g) ?? []).join(':');

export function certNames(der: Buffer): CertNames {
  const cert = new x509.X509Certificate(new Uint8Array(der));
  const san = cert.getExtension<x509.SubjectAlternativeNameExtension>('2.5.29.17');
  const items = san?.names.items ?? [];
  const ski = cert.getExtension<x509.SubjectKeyIdentifierExtension>('2.5.29.14');
  const aki = cert.getExtension<x509.AuthorityKeyIdentifierExtension>('2.5.29.35');
  return {
    commonName: cert.subjectName.getField('CN')[0] ?? '',
    organizationalUnits: cert.subjectName.getField('OU'),
    dnsNames: items.filter((n) => n.type === 'dns').map((n) => n.value),
    emails: items.filter((n) => n.type === 'email').map((n) => n.value),
    uris: items.filter((n) => n.type === 'url').map((n) => n.value),
    subjectKeyId: ski ? colonHex(ski.keyId) : '',
    authorityKeyId: aki?.keyId ? colonHex(aki.keyId) : '',
  };
}

/** The path length constraint of a CA certificate's basic constraints, when it has one. */
export function pathLengthConstraint(der: Buffer): number | undefined {
  return new x509.X509Certificate(new Uint8Array(der)).getExtension<x509.BasicConstraintsExtension>('2.5.29.19')?.pathLength;
}

/** Serial numbers as lower-case hex without leading zeros (one form for certs and CRLs). */
export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/[^0-9a-f]/g, '').replace(/^0+(?=.)/, '');
}

/** The revoked serials of a CRL given as PEM or base64 DER. */
export function parseCrlSerials(text: string): string[] {
  let crl: x509.X509Crl;
  try {
    crl = new x509.X509Crl(text.includes('-----BEGIN') ? text : new Uint8Array(Buffer.from(text, 'base64')));
  } catch {
    throw new InvalidRequest('failed to parse CRL');
  }
  return crl.entries.map((e) => normalizeSerial(e.serialNumber));
}
