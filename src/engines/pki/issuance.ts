/**
 * Issues a certificate from the mount's CA: TTL rules (requested, role, mount; never past the
 * CA), serial, signing, the certs/ record, and Vault's response fields.
 */
import { InvalidRequest } from '../../errors.js';
import { certPem, colonSerial, newSerialHex, x509 } from './crypto.js';
import { signCertificate, type CertSpec } from './certgen.js';
import type { PkiDeps } from './deps.js';
import type { CaBundle } from './store.js';

export interface IssueInput extends Omit<CertSpec, 'serialHex' | 'notBefore' | 'notAfter' | 'urls'> {
  /** Requested ttl in seconds (0 = default). */
  ttl: number;
  /** Explicit not_after (RFC 3339), overrides ttl. */
  notAfter?: string;
  /** Role limits; 0 = mount's. */
  roleTtl: number;
  roleMaxTtl: number;
  notBeforeDuration: number;
  store: boolean;
}

export interface Issued {
  cert: x509.X509Certificate;
  serial: string;
  data: Record<string, unknown>;
}

export function caChainPems(ca: CaBundle): string[] {
  return [ca.certificate.trim(), ...ca.chain.map((c) => c.trim())];
}

export async function issueFromCa(deps: PkiDeps, ca: CaBundle, input: IssueInput): Promise<Issued> {
  const caCert = new x509.X509Certificate(ca.certificate);
  const now = deps.now();
  const maxTtl = input.roleMaxTtl > 0 ? input.roleMaxTtl : deps.system.maxLeaseTtl();
  let ttl = input.ttl > 0 ? input.ttl : input.roleTtl > 0 ? input.roleTtl : deps.system.defaultLeaseTtl();
  if (ttl > maxTtl) ttl = maxTtl;
  let notAfter = new Date(now.getTime() + ttl * 1000);
  if (input.notAfter) {
    const parsed = new Date(input.notAfter);
    if (Number.isNaN(parsed.getTime())) throw new InvalidRequest('not_after is not a valid RFC 3339 time');
    notAfter = parsed;
  }
  if (notAfter.getTime() > caCert.notAfter.getTime()) {
    throw new InvalidRequest('cannot satisfy request, as TTL would result in notAfter of the certificate beyond the expiration of the CA certificate');
  }
  const notBefore = new Date(now.getTime() - input.notBeforeDuration * 1000);
  const serialHex = await newSerialHex((n) => deps.system.randomBytes(n));
  const urls = await deps.store.getUrls();
  const cert = await signCertificate({ cert: caCert, key: ca.key }, {
    ...input,
    serialHex,
    notBefore,
    notAfter,
    urls,
  });
  const serial = colonSerial(serialHex);
  if (input.store) {
    await deps.store.putCert({ serial, der: Buffer.from(cert.rawData).toString('base64'), notAfter: Math.floor(cert.notAfter.getTime() / 1000) });
  }
  return {
    cert,
    serial,
    data: {
      certificate: certPem(cert),
      issuing_ca: ca.certificate.trim(),
      ca_chain: caChainPems(ca),
      serial_number: serial,
      expiration: Math.floor(cert.notAfter.getTime() / 1000),
    },
  };
}
