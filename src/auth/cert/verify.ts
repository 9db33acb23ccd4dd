/**
 * Which trusted entry a client certificate logs in as (Vault's verifyCredentials): the leaf is
 * trusted when it equals a trusted certificate or is signed by a trusted CA certificate, within
 * validity dates; the chain up through the trusted pool must contain one of the entry's own
 * certificates, no certificate of it may be revoked by a stored CRL, and the leaf must satisfy
 * the entry's name constraints. Pure apart from the clock, which is passed in.
 */
import { X509Certificate } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { globMatch } from '../jwt/claims.js';
import { certNames, normalizeSerial, parsePemBundle, type CertNames } from './parse.js';

export interface TrustedEntryConstraints {
  allowed_names: string[];
  allowed_common_names: string[];
  allowed_dns_sans: string[];
  allowed_email_sans: string[];
  allowed_uri_sans: string[];
  allowed_organizational_units: string[];
}

export interface TrustedEntry<T extends TrustedEntryConstraints> {
  name: string;
  certificate: string;
  entry: T;
}

export const NO_TRUSTED_CHAIN = 'invalid certificate or no client certificate supplied';
export const NO_MATCH = 'no chain matching all constraints could be found for this login certificate';
const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';
const MAX_DEPTH = 8;

const validAt = (cert: X509Certificate, now: Date) => new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);
const issuedBy = (child: X509Certificate, parent: X509Certificate) => parent.ca && child.checkIssued(parent) && child.verify(parent.publicKey);

/** The chain from the leaf up through trusted certificates, or undefined when not trusted. */
function trustedChain(leaf: X509Certificate, pool: X509Certificate[], now: Date): X509Certificate[] | undefined {
  if (!validAt(leaf, now)) return undefined;
  const pinned = pool.some((c) => c.fingerprint256 === leaf.fingerprint256);
  const chain = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (current.checkIssued(current)) break; // self-signed: the top
    const parent = pool.find((c) => c.fingerprint256 !== current.fingerprint256 && validAt(c, now) && issuedBy(current, c));
    if (!parent) break;
    chain.push(parent);
    current = parent;
  }
  return pinned || chain.length > 1 ? chain : undefined;
}

const anyGlob = (patterns: string[], values: string[]) => patterns.length === 0 || values.some((v) => patterns.some((p) => globMatch(p, v)));

export function matchesNames(names: CertNames, c: TrustedEntryConstraints): boolean {
  return anyGlob(c.allowed_names, [names.commonName, ...names.dnsNames, ...names.emails].filter((n) => n !== ''))
    && anyGlob(c.allowed_common_names, names.commonName ? [names.commonName] : [])
    && anyGlob(c.allowed_dns_sans, names.dnsNames)
    && anyGlob(c.allowed_email_sans, names.emails)
    && anyGlob(c.allowed_uri_sans, names.uris)
    && anyGlob(c.allowed_organizational_units, names.organizationalUnits);
}

export interface Matched<T extends TrustedEntryConstraints> { entry: TrustedEntry<T>; leaf: X509Certificate; names: CertNames }

export function matchClientCertificate<T extends TrustedEntryConstraints>(
  leafDer: Buffer | undefined,
  trusted: TrustedEntry<T>[],
  revokedSerials: ReadonlySet<string>,
  now: Date,
): Matched<T> {
  if (!leafDer || leafDer.length === 0) throw new InvalidRequest('client certificate must be supplied');
  let leaf: X509Certificate;
  try { leaf = new X509Certificate(leafDer); } catch { throw new InvalidRequest(NO_TRUSTED_CHAIN); }
  if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(CLIENT_AUTH_EKU)) throw new InvalidRequest(NO_TRUSTED_CHAIN);
  const parsed = trusted.map((t) => ({ t, certs: parsePemBundle(t.certificate) }));
  const chain = trustedChain(leaf, parsed.flatMap((p) => p.certs), now);
  if (!chain) throw new InvalidRequest(NO_TRUSTED_CHAIN);
  const revoked = chain.some((c) => revokedSerials.has(normalizeSerial(c.serialNumber)));
  const names = certNames(leafDer);
  for (const { t, certs } of parsed) {
    const inChain = certs.some((c) => chain.some((k) => k.fingerprint256 === c.fingerprint256));
    if (inChain && !revoked && matchesNames(names, t.entry)) return { entry: t, leaf, names };
  }
  throw new InvalidRequest(NO_MATCH);
}
