/**
 * Builds and signs X.509 certificates, CSRs and names from plain parameters (no HTTP, no
 * storage): subject names, key usages from Vault's names, SANs, CA constraints, URL extensions.
 */
import { isIP } from 'node:net';
import { InvalidRequest } from '../../errors.js';
import { x509, importSigningKey, signingAlgorithm, type StoredKey } from './crypto.js';
import type { UrlsConfig } from './store.js';

const KEY_USAGE: Record<string, number> = {
  digitalsignature: x509.KeyUsageFlags.digitalSignature,
  contentcommitment: x509.KeyUsageFlags.nonRepudiation,
  keyencipherment: x509.KeyUsageFlags.keyEncipherment,
  dataencipherment: x509.KeyUsageFlags.dataEncipherment,
  keyagreement: x509.KeyUsageFlags.keyAgreement,
  certsign: x509.KeyUsageFlags.keyCertSign,
  crlsign: x509.KeyUsageFlags.cRLSign,
  encipheronly: x509.KeyUsageFlags.encipherOnly,
  decipheronly: x509.KeyUsageFlags.decipherOnly,
};

const EXT_KEY_USAGE: Record<string, string> = {
  any: '2.5.29.37.0',
  serverauth: x509.ExtendedKeyUsage.serverAuth,
  clientauth: x509.ExtendedKeyUsage.clientAuth,
  codesigning: x509.ExtendedKeyUsage.codeSigning,
  emailprotection: x509.ExtendedKeyUsage.emailProtection,
  timestamping: x509.ExtendedKeyUsage.timeStamping,
  ocspsigning: x509.ExtendedKeyUsage.ocspSigning,
};

export function keyUsageFlags(names: string[]): number {
  let flags = 0;
  for (const name of names) {
    const flag = KEY_USAGE[name.toLowerCase().replace(/^keyusage/, '')];
    if (flag === undefined) throw new InvalidRequest('unknown key_usage value');
    flags |= flag;
  }
  return flags;
}

export function extKeyUsageOids(names: string[], oids: string[] = []): string[] {
  const out = names.map((name) => {
    const oid = EXT_KEY_USAGE[name.toLowerCase().replace(/^extkeyusage/, '')];
    if (oid === undefined) throw new InvalidRequest('unknown ext_key_usage value');
    return oid;
  });
  for (const oid of oids) {
    if (!/^\d+(\.\d+)+$/.test(oid)) throw new InvalidRequest('invalid ext_key_usage_oids value');
    out.push(oid);
  }
  return [...new Set(out)];
}

export interface SubjectSpec {
  commonName: string;
  organization?: string[];
  ou?: string[];
  country?: string[];
}

export function subjectName(spec: SubjectSpec): x509.Name {
  const rdns: Record<string, string[]>[] = [];
  for (const c of spec.country ?? []) rdns.push({ C: [c] });
  for (const o of spec.organization ?? []) rdns.push({ O: [o] });
  for (const ou of spec.ou ?? []) rdns.push({ OU: [ou] });
  if (spec.commonName !== '') rdns.push({ CN: [spec.commonName] });
  return new x509.Name(rdns);
}

export interface SanSpec {
  dnsNames: string[];
  ipSans: string[];
  emails?: string[];
  uris?: string[];
}

function sanExtension(sans: SanSpec): x509.Extension | undefined {
  const names: { type: 'dns' | 'ip' | 'email' | 'url'; value: string }[] = [
    ...sans.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...sans.ipSans.map((value) => ({ type: 'ip' as const, value })),
    ...(sans.emails ?? []).map((value) => ({ type: 'email' as const, value })),
    ...(sans.uris ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
  return names.length > 0 ? new x509.SubjectAlternativeNameExtension(names, false) : undefined;
}

/** Splits common name + alt_names into DNS and e-mail SANs (Vault puts the CN into the SANs). */
export function sansFor(commonName: string, altNames: string[], ipSans: string[], excludeCn: boolean): SanSpec {
  const dns = new Set<string>();
  const emails = new Set<string>();
  const ips = new Set(ipSans);
  const all = excludeCn || commonName === '' ? altNames : [commonName, ...altNames];
  for (const name of all) {
    if (name.includes('@')) emails.add(name);
    else if (isIP(name)) ips.add(name);
    else dns.add(name);
  }
  return { dnsNames: [...dns], ipSans: [...ips], emails: [...emails] };
}

export interface Issuer {
  /** Undefined for a self-signed certificate. */
  cert?: x509.X509Certificate;
  key: StoredKey;
}

export interface CertSpec {
  serialHex: string;
  subject: x509.Name;
  publicKey: x509.PublicKey | CryptoKey;
  notBefore: Date;
  notAfter: Date;
  sans?: SanSpec;
  isCa: boolean;
  /** -1 = no limit. */
  maxPathLength?: number;
  keyUsage: number;
  extKeyUsage: string[];
  urls?: UrlsConfig;
  /** Extensions taken verbatim (sign-verbatim), after the ones built here. */
  extraExtensions?: x509.Extension[];
}

export async function signCertificate(issuer: Issuer, spec: CertSpec): Promise<x509.X509Certificate> {
  const extensions: x509.Extension[] = [];
  if (spec.isCa) {
    const path = spec.maxPathLength === undefined || spec.maxPathLength < 0 ? undefined : spec.maxPathLength;
    extensions.push(new x509.BasicConstraintsExtension(true, path, true));
  } else {
    extensions.push(new x509.BasicConstraintsExtension(false, undefined, false));
  }
  if (spec.keyUsage !== 0) extensions.push(new x509.KeyUsagesExtension(spec.keyUsage, true));
  if (spec.extKeyUsage.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(spec.extKeyUsage, false));
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(spec.publicKey, false));
  const issuerSki = issuer.cert?.getExtension(x509.SubjectKeyIdentifierExtension);
  if (issuerSki) extensions.push(new x509.AuthorityKeyIdentifierExtension(issuerSki.keyId, false));
  else if (!issuer.cert) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(spec.publicKey, false));
  const san = spec.sans ? sanExtension(spec.sans) : undefined;
  if (san) extensions.push(san);
  if (spec.urls) {
    const { ocsp_servers: ocsp, issuing_certificates: caIssuers, crl_distribution_points: crl } = spec.urls;
    if (ocsp.length > 0 || caIssuers.length > 0) {
      extensions.push(new x509.AuthorityInfoAccessExtension({
        ...(ocsp.length > 0 ? { ocsp } : {}),
        ...(caIssuers.length > 0 ? { caIssuers } : {}),
      }));
    }
    if (crl.length > 0) extensions.push(new x509.CRLDistributionPointsExtension(crl));
  }
  extensions.push(...(spec.extraExtensions ?? []));
  return x509.X509CertificateGenerator.create({
    serialNumber: spec.serialHex,
    subject: spec.subject,
    issuer: issuer.cert ? issuer.cert.subjectName : spec.subject,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    publicKey: spec.publicKey,
    signingKey: await importSigningKey(issuer.key),
    signingAlgorithm: signingAlgorithm(issuer.key),
    extensions,
  });
}

export async function createCsr(subject: x509.Name, keys: CryptoKeyPair, key: StoredKey, sans: SanSpec): Promise<x509.Pkcs10CertificateRequest> {
  const san = sanExtension(sans);
  return x509.Pkcs10CertificateRequestGenerator.create({
    name: subject,
    keys,
    signingAlgorithm: signingAlgorithm(key),
    extensions: san ? [san] : [],
  });
}

/** Parses a PEM CSR and checks its self-signature. */
export async function parseCsr(pem: string): Promise<x509.Pkcs10CertificateRequest> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem.trim());
  } catch {
    throw new InvalidRequest('csr contains no valid certificate request');
  }
  if (!(await csr.verify())) throw new InvalidRequest('csr signature is invalid');
  return csr;
}

/** DNS, IP and e-mail SANs requested by a CSR. */
export function csrSans(csr: x509.Pkcs10CertificateRequest): SanSpec {
  const raw = csr.getExtension('2.5.29.17');
  const ext = raw ? new x509.SubjectAlternativeNameExtension(raw.rawData) : undefined;
  const out: SanSpec = { dnsNames: [], ipSans: [], emails: [], uris: [] };
  for (const name of ext?.names.items ?? []) {
    if (name.type === 'dns') out.dnsNames.push(name.value);
    else if (name.type === 'ip') out.ipSans.push(name.value);
    else if (name.type === 'email') out.emails!.push(name.value);
    else if (name.type === 'url') out.uris!.push(name.value);
  }
  return out;
}

export function commonNameOf(name: x509.Name): string {
  return name.getField('CN')[0] ?? '';
}

/** Splits a PEM bundle into certificates. */
export function parsePemBundle(pem: string): x509.X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    return blocks.map((b) => new x509.X509Certificate(b));
  } catch {
    throw new InvalidRequest('certificate bundle contains an invalid certificate');
  }
}
