/**
 * Which trusted entry a client certificate logs in as (Vault's verifyCredentials): the leaf is
 * trusted when it equals a trusted certificate or chains to one, each link a CA (within its path
 * length) whose key signed the certificate below, within validity dates and allowing client
 * auth. Intermediates the client sent may be links of that chain but never its anchor. The chain
 * up through the trusted pool must contain one of the entry's own certificates, no certificate
 * of it may be revoked by a stored CRL, and the leaf must satisfy the entry's name constraints.
 * Pure apart from the clock, which is passed in.
 */
import { X509Certificate } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { globMatch } from '../jwt/claims.js';
import { certNames, normalizeSerial, parsePemBundle, pathLengthConstraint, type CertNames } from './parse.js';

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
const ANY_EKU = '2.5.29.37.0';
const MAX_DEPTH = 8;

const validAt = (cert: X509Certificate, now: Date) => new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);
/** Extended key usage, where present, must allow client auth: on the leaf and on every CA above it, as Go's verifier checks. */
const allowsClientAuth = (cert: X509Certificate) => cert.keyUsage === undefined || cert.keyUsage.includes(CLIENT_AUTH_EKU) || cert.keyUsage.includes(ANY_EKU);
const same = (a: X509Certificate, b: X509Certificate) => a.fingerprint256 === b.fingerprint256;

/** Whether `parent` can be the next link above the top of `chain`: a usable CA that signed it, its path length allowing the CAs below. */
function extendsChain(chain: X509Certificate[], parent: X509Certificate, now: Date): boolean {
  const top = chain[chain.length - 1]!;
  if (chain.some((c) => same(c, parent)) || !parent.ca || !validAt(parent, now) || !allowsClientAuth(parent)) return false;
  if (!top.checkIssued(parent) || !top.verify(parent.publicKey)) return false;
  return chain.length - 1 <= (pathLengthConstraint(parent.raw) ?? Infinity);
}

/** Depth first through the intermediates the client sent, until a trusted certificate signed the top of `chain`. */
function reachPool(chain: X509Certificate[], presented: X509Certificate[], pool: X509Certificate[], now: Date): X509Certificate[] | undefined {
  const anchor = pool.find((c) => extendsChain(chain, c, now));
  if (anchor) return [...chain, anchor];
  if (chain.length >= MAX_DEPTH) return undefined;
  for (const c of presented) {
    const found = extendsChain(chain, c, now) ? reachPool([...chain, c], presented, pool, now) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** The chain from the leaf to a trusted certificate and on up through the trusted pool, or undefined when not trusted. */
function trustedChain(leaf: X509Certificate, presented: X509Certificate[], pool: X509Certificate[], now: Date): X509Certificate[] | undefined {
  if (!validAt(leaf, now)) return undefined;
  const chain = pool.some((c) => same(c, leaf)) ? [leaf] : reachPool([leaf], presented, pool, now);
  if (!chain) return undefined;
  while (chain.length < MAX_DEPTH) {
    const top = chain[chain.length - 1]!;
    if (top.checkIssued(top)) break; // self-signed: the top
    const parent = pool.find((c) => extendsChain(chain, c, now));
    if (!parent) break;
    chain.push(parent);
  }
  return chain;
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

/** `presentedDer`: the other certificates the client sent in the handshake, untrusted candidates for intermediates. */
export function matchClientCertificate<T extends TrustedEntryConstraints>(
  leafDer: Buffer | undefined,
  presentedDer: Buffer[],
  trusted: TrustedEntry<T>[],
  revokedSerials: ReadonlySet<string>,
  now: Date,
): Matched<T> {
  if (!leafDer || leafDer.length === 0) throw new InvalidRequest('client certificate must be supplied');
  let leaf: X509Certificate;
  let presented: X509Certificate[];
  try {
    leaf = new X509Certificate(leafDer);
    presented = presentedDer.map((der) => new X509Certificate(der));
  } catch {
    throw new InvalidRequest(NO_TRUSTED_CHAIN);
  }
  if (!allowsClientAuth(leaf)) throw new InvalidRequest(NO_TRUSTED_CHAIN);
  const parsed = trusted.map((t) => ({ t, certs: parsePemBundle(t.certificate) }));
  const chain = trustedChain(leaf, presented, parsed.flatMap((p) => p.certs), now);
  if (!chain) throw new InvalidRequest(NO_TRUSTED_CHAIN);
  const revoked = chain.some((c) => revokedSerials.has(normalizeSerial(c.serialNumber)));
  const names = certNames(leafDer);
  for (const { t, certs } of parsed) {
    const inChain = certs.some((c) => chain.some((k) => k.fingerprint256 === c.fingerprint256));
    if (inChain && !revoked && matchesNames(names, t.entry)) return { entry: t, leaf, names };
  }
  throw new InvalidRequest(NO_MATCH);
}
