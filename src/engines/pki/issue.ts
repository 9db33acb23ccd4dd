/** issue/:role, sign/:role and sign-verbatim(/:role): certificates under a role's rules. */
import { createPublicKey } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { generateKeyPair, KEY_TYPES, privateKeyOutput, resolveKeySpec, x509 } from './crypto.js';
import { commonNameOf, csrSans, extKeyUsageOids, keyUsageFlags, parseCsr, sansFor, subjectName, type SanSpec } from './certgen.js';
import { requireCa, type PkiDeps } from './deps.js';
import { issueFromCa, type Issued } from './issuance.js';
import { checkNames, ROLE_DEFAULTS, type Role } from './role-model.js';

export const CERT_SECRET = 'pki';

const requestFields = {
  common_name: { type: 'string', default: '' },
  alt_names: { type: 'commaStringList', default: [] },
  ip_sans: { type: 'commaStringList', default: [] },
  uri_sans: { type: 'commaStringList', default: [] },
  other_sans: { type: 'commaStringList', default: [] },
  ttl: { type: 'duration', default: 0 },
  not_after: { type: 'string', default: '' },
  format: { type: 'string', default: 'pem', oneOf: ['pem', 'der', 'pem_bundle'] },
  private_key_format: { type: 'string', default: 'der', oneOf: ['', 'der', 'pem', 'pkcs8'] },
  exclude_cn_from_sans: { type: 'bool', default: false },
  remove_roots_from_chain: { type: 'bool', default: false },
  issuer_ref: { type: 'string', default: 'default' },
} as const;

async function loadRole(deps: PkiDeps, name: string): Promise<Role> {
  const role = await deps.store.getRole(name);
  if (!role) throw new InvalidRequest('unknown role');
  return role;
}

function roleExtKeyUsage(role: Role): string[] {
  const names = [...role.ext_key_usage];
  if (role.server_flag) names.push('ServerAuth');
  if (role.client_flag) names.push('ClientAuth');
  if (role.code_signing_flag) names.push('CodeSigning');
  if (role.email_protection_flag) names.push('EmailProtection');
  return extKeyUsageOids(names, role.ext_key_usage_oids);
}

/** The Vault response and, under generate_lease, a lease whose revocation revokes the cert. */
/** What a role decides about every certificate it issues or signs, with the request's ttl/not_after. */
function roleIssueTerms(role: Role, data: { ttl: number; not_after: string }) {
  return {
    isCa: false,
    keyUsage: keyUsageFlags(role.key_usage),
    extKeyUsage: roleExtKeyUsage(role),
    ttl: data.ttl,
    notAfter: data.not_after || undefined,
    roleTtl: role.ttl,
    roleMaxTtl: role.max_ttl,
    notBeforeDuration: role.not_before_duration,
    store: !role.no_store,
  };
}

function respond(deps: PkiDeps, role: Role, issued: Issued, extra: Record<string, unknown>, format: string): LogicalResponse {
  const data = { ...issued.data, ...extra };
  if (format === 'der') data.certificate = Buffer.from(issued.cert.rawData).toString('base64');
  if (format === 'pem_bundle') data.certificate = [data.certificate, data.issuing_ca].join('\n');
  const response: LogicalResponse = { data };
  if (role.generate_lease) {
    const ttl = Math.max(1, Math.floor((issued.cert.notAfter.getTime() - deps.now().getTime()) / 1000));
    response.secret = { type: CERT_SECRET, ttlSeconds: ttl, renewable: false, internal: { serial_number: issued.serial } };
  }
  return response;
}

function describeCsrKey(csr: x509.Pkcs10CertificateRequest): { type: string; bits: number } {
  const key = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { type: 'rsa', bits: details.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') {
    const bits = ({ prime256v1: 256, secp384r1: 384, secp521r1: 521, secp224r1: 224 } as Record<string, number>)[details.namedCurve ?? ''] ?? 0;
    return { type: 'ec', bits };
  }
  return { type: key.asymmetricKeyType ?? 'unknown', bits: 0 };
}

export function issuePaths(deps: PkiDeps) {
  return [
    path({
      pattern: 'issue/:role',
      fields: { role: { type: 'string', required: true }, ...requestFields },
      synopsis: 'Issue a certificate and private key under a role.',
      operations: {
        update: async (_req, data) => {
          const role = await loadRole(deps, data.role);
          if (role.key_type === 'any') throw new InvalidRequest('role key type "any" not allowed for issuing certificates, only signing');
          const sans = sansFor(data.common_name, data.alt_names, data.ip_sans, data.exclude_cn_from_sans);
          checkNames(role, { commonName: data.common_name, dnsNames: sans.dnsNames, ipSans: data.ip_sans });
          const ca = await requireCa(deps);
          const { type, bits } = resolveKeySpec(role.key_type, role.key_bits);
          const pair = await generateKeyPair(type, bits);
          const issued = await issueFromCa(deps, ca, {
            subject: subjectName({ commonName: data.common_name, organization: role.organization, ou: role.ou, country: role.country }),
            publicKey: pair.keys.publicKey,
            sans: { ...sans, uris: data.uri_sans },
            ...roleIssueTerms(role, data),
          });
          const keyFormat = data.private_key_format === 'pkcs8' ? 'pkcs8' : data.format === 'der' ? 'der' : 'pem';
          return respond(deps, role, issued, {
            private_key: privateKeyOutput(pair.spec, keyFormat),
            private_key_type: KEY_TYPES[type].vaultName,
          }, data.format);
        },
      },
    }),
    path({
      pattern: 'sign/:role',
      fields: { role: { type: 'string', required: true }, csr: { type: 'string', required: true }, ...requestFields },
      synopsis: 'Sign a CSR under a role.',
      operations: {
        update: async (_req, data) => {
          const role = await loadRole(deps, data.role);
          const csr = await parseCsr(data.csr);
          const keyInfo = describeCsrKey(csr);
          if (role.key_type !== 'any') {
            if (keyInfo.type !== role.key_type) throw new InvalidRequest('the CSR\'s key type does not match the role\'s key_type');
            const { bits } = resolveKeySpec(role.key_type, role.key_bits);
            if (role.key_type !== 'ed25519' && keyInfo.bits < bits) throw new InvalidRequest('the CSR\'s key is smaller than the role\'s key_bits');
          }
          const commonName = role.use_csr_common_name ? commonNameOf(csr.subjectName) : data.common_name;
          const fromCsr: SanSpec = role.use_csr_sans ? csrSans(csr) : { dnsNames: [], ipSans: [], emails: [], uris: [] };
          const requested = sansFor(commonName, [...fromCsr.dnsNames, ...(fromCsr.emails ?? []), ...data.alt_names], [...fromCsr.ipSans, ...data.ip_sans], data.exclude_cn_from_sans);
          checkNames(role, { commonName, dnsNames: requested.dnsNames, ipSans: requested.ipSans });
          const ca = await requireCa(deps);
          const issued = await issueFromCa(deps, ca, {
            subject: subjectName({ commonName, organization: role.organization, ou: role.ou, country: role.country }),
            publicKey: csr.publicKey,
            sans: { ...requested, uris: [...(fromCsr.uris ?? []), ...data.uri_sans] },
            ...roleIssueTerms(role, data),
          });
          return respond(deps, role, issued, {}, data.format);
        },
      },
    }),
    path({
      pattern: 'sign-verbatim/:role?',
      fields: {
        role: { type: 'string', default: '' },
        csr: { type: 'string', required: true },
        key_usage: { type: 'commaStringList', default: ['DigitalSignature', 'KeyAgreement', 'KeyEncipherment'] },
        ext_key_usage: { type: 'commaStringList', default: [] },
        ext_key_usage_oids: { type: 'commaStringList', default: [] },
        ttl: { type: 'duration', default: 0 },
        not_after: { type: 'string', default: '' },
        format: { type: 'string', default: 'pem', oneOf: ['pem', 'der', 'pem_bundle'] },
        issuer_ref: { type: 'string', default: 'default' },
      },
      synopsis: 'Sign a CSR with its own subject and names, no role name checks.',
      operations: {
        update: async (_req, data) => {
          const role = data.role !== '' ? await loadRole(deps, data.role) : { ...ROLE_DEFAULTS, server_flag: false, client_flag: false };
          const csr = await parseCsr(data.csr);
          const ca = await requireCa(deps);
          const issued = await issueFromCa(deps, ca, {
            subject: csr.subjectName,
            publicKey: csr.publicKey,
            sans: csrSans(csr),
            // sign-verbatim: the request's key usages instead of the role's
            ...roleIssueTerms(role, data),
            keyUsage: keyUsageFlags(data.key_usage),
            extKeyUsage: extKeyUsageOids(data.ext_key_usage, data.ext_key_usage_oids),
          });
          return respond(deps, role, issued, {}, data.format);
        },
      },
    }),
  ];
}
