/**
 * The mount's CA: root/generate/:type, root (delete), intermediate/generate/:type,
 * root/sign-intermediate, intermediate/set-signed, and the unauthenticated ca, ca/pem, ca_chain.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { certPem, colonSerial, generateKeyPair, KEY_TYPES, newSerialHex, privateKeyOutput, resolveKeySpec, x509, type StoredKey } from './crypto.js';
import { commonNameOf, createCsr, csrSans, parseCsr, parsePemBundle, sansFor, signCertificate, subjectName } from './certgen.js';
import { requireCa, type PkiDeps } from './deps.js';
import { caChainPems, issueFromCa } from './issuance.js';

const subjectFields = {
  common_name: { type: 'string', default: '' },
  alt_names: { type: 'commaStringList', default: [] },
  ip_sans: { type: 'commaStringList', default: [] },
  exclude_cn_from_sans: { type: 'bool', default: false },
  organization: { type: 'commaStringList', default: [] },
  ou: { type: 'commaStringList', default: [] },
  country: { type: 'commaStringList', default: [] },
} as const;

const keyFields = {
  type: { type: 'string', required: true },
  key_type: { type: 'string', default: 'rsa' },
  key_bits: { type: 'int', default: 0 },
  private_key_format: { type: 'string', default: 'der', oneOf: ['', 'der', 'pem', 'pkcs8'] },
  format: { type: 'string', default: 'pem', oneOf: ['pem', 'der', 'pem_bundle'] },
  issuer_name: { type: 'string', default: '' },
  key_name: { type: 'string', default: '' },
} as const;

function exportType(type: string): boolean {
  if (type === 'exported') return true;
  if (type === 'internal') return false;
  throw new InvalidRequest('type must be "internal" or "exported"');
}

/** PEM, or base64 DER for format=der (Vault's `format`). */
function formatCert(cert: x509.X509Certificate, format: string): string {
  return format === 'der' ? Buffer.from(cert.rawData).toString('base64') : certPem(cert);
}

function keyOutput(key: StoredKey, privateKeyFormat: string, format: string): Record<string, unknown> {
  const fmt = privateKeyFormat === 'pkcs8' ? 'pkcs8' : format === 'der' ? 'der' : 'pem';
  return { private_key: privateKeyOutput(key, fmt), private_key_type: KEY_TYPES[key.type].vaultName };
}

/** A root or intermediate request's key: its export type, a checked common name, a fresh key pair. */
async function newCaKey(data: { type: string; common_name: string; key_type: string; key_bits: number }) {
  const exported = exportType(data.type);
  if (data.common_name === '') throw new InvalidRequest('the common_name field is required');
  const { type, bits } = resolveKeySpec(data.key_type, data.key_bits);
  return { exported, pair: await generateKeyPair(type, bits) };
}

export function caPaths(deps: PkiDeps) {
  return [
    path({
      pattern: 'root/generate/:type',
      fields: {
        ...keyFields,
        ...subjectFields,
        ttl: { type: 'duration', default: 0 },
        not_after: { type: 'string', default: '' },
        max_path_length: { type: 'int', default: -1 },
      },
      synopsis: 'Generate a new self-signed CA certificate and private key.',
      operations: {
        update: async (_req, data): Promise<LogicalResponse> => {
          const { exported, pair } = await newCaKey(data);
          const now = deps.now();
          const ttl = data.ttl > 0 ? data.ttl : deps.system.maxLeaseTtl();
          const notAfter = data.not_after !== '' ? new Date(data.not_after) : new Date(now.getTime() + ttl * 1000);
          if (Number.isNaN(notAfter.getTime())) throw new InvalidRequest('not_after is not a valid RFC 3339 time');
          const serialHex = await newSerialHex((n) => deps.system.randomBytes(n));
          const subject = subjectName({ commonName: data.common_name, organization: data.organization, ou: data.ou, country: data.country });
          const cert = await signCertificate({ key: pair.spec }, {
            serialHex,
            subject,
            publicKey: pair.keys.publicKey,
            notBefore: new Date(now.getTime() - 30_000),
            notAfter,
            sans: sansFor(data.common_name, data.alt_names, data.ip_sans, data.exclude_cn_from_sans),
            isCa: true,
            maxPathLength: data.max_path_length,
            keyUsage: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
            extKeyUsage: [],
            urls: await deps.store.getUrls(),
          });
          const pem = certPem(cert);
          const serial = colonSerial(serialHex);
          const replaced = (await deps.store.getCa()) !== undefined;
          await deps.store.putCa({ certificate: pem, chain: [], key: pair.spec });
          await deps.store.putCert({ serial, der: Buffer.from(cert.rawData).toString('base64'), notAfter: Math.floor(notAfter.getTime() / 1000) });
          await deps.rebuildCrl();
          const out: Record<string, unknown> = {
            certificate: formatCert(cert, data.format),
            issuing_ca: formatCert(cert, data.format),
            serial_number: serial,
            expiration: Math.floor(cert.notAfter.getTime() / 1000),
            issuer_id: serial,
            issuer_name: data.issuer_name,
            key_id: 'default',
            key_name: data.key_name,
          };
          if (exported) Object.assign(out, keyOutput(pair.spec, data.private_key_format, data.format));
          return replaced
            ? { data: out, warnings: ['this mount\'s previous CA was replaced; certificates it issued can no longer be checked by OCSP here'] }
            : { data: out };
        },
      },
    }),
    path({
      pattern: 'root',
      synopsis: 'Delete the mount\'s CA certificate and key.',
      operations: {
        delete: async () => {
          await deps.store.deleteCa();
          await deps.store.deletePendingKey();
          return undefined;
        },
      },
    }),
    path({
      pattern: 'intermediate/generate/:type',
      fields: { ...keyFields, ...subjectFields, add_basic_constraints: { type: 'bool', default: false } },
      synopsis: 'Generate a key and a CSR for an intermediate CA.',
      operations: {
        update: async (_req, data): Promise<LogicalResponse> => {
          const { exported, pair } = await newCaKey(data);
          const subject = subjectName({ commonName: data.common_name, organization: data.organization, ou: data.ou, country: data.country });
          const csr = await createCsr(subject, pair.keys, pair.spec, sansFor(data.common_name, data.alt_names, data.ip_sans, data.exclude_cn_from_sans));
          await deps.store.putPendingKey(pair.spec);
          const out: Record<string, unknown> = {
            csr: data.format === 'der' ? Buffer.from(csr.rawData).toString('base64') : csr.toString('pem'),
            key_id: 'pending',
          };
          if (exported) Object.assign(out, keyOutput(pair.spec, data.private_key_format, data.format));
          return { data: out };
        },
      },
    }),
    path({
      pattern: 'root/sign-intermediate',
      fields: {
        csr: { type: 'string', required: true },
        ...subjectFields,
        ttl: { type: 'duration', default: 0 },
        not_after: { type: 'string', default: '' },
        max_path_length: { type: 'int', default: -1 },
        use_csr_values: { type: 'bool', default: false },
        format: { type: 'string', default: 'pem', oneOf: ['pem', 'der', 'pem_bundle'] },
        issuer_ref: { type: 'string', default: 'default' },
      },
      synopsis: 'Issue an intermediate CA certificate from a CSR.',
      operations: {
        update: async (_req, data): Promise<LogicalResponse> => {
          const ca = await requireCa(deps);
          const csr = await parseCsr(data.csr);
          const commonName = data.use_csr_values ? commonNameOf(csr.subjectName) : data.common_name;
          if (commonName === '') throw new InvalidRequest('the common_name field is required');
          const subject = data.use_csr_values
            ? csr.subjectName
            : subjectName({ commonName, organization: data.organization, ou: data.ou, country: data.country });
          const sans = data.use_csr_values ? csrSans(csr) : sansFor(commonName, data.alt_names, data.ip_sans, data.exclude_cn_from_sans);
          const issued = await issueFromCa(deps, ca, {
            subject,
            publicKey: csr.publicKey,
            sans,
            isCa: true,
            maxPathLength: data.max_path_length,
            keyUsage: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
            extKeyUsage: [],
            ttl: data.ttl,
            notAfter: data.not_after || undefined,
            roleTtl: deps.system.maxLeaseTtl(),
            roleMaxTtl: 0,
            notBeforeDuration: 30,
            store: true,
          });
          if (data.format === 'pem_bundle') issued.data.certificate = [issued.data.certificate, ...caChainPems(ca)].join('\n');
          if (data.format === 'der') issued.data.certificate = Buffer.from(issued.cert.rawData).toString('base64');
          return { data: issued.data };
        },
      },
    }),
    path({
      pattern: 'intermediate/set-signed',
      fields: { certificate: { type: 'string', required: true } },
      synopsis: 'Install the signed intermediate CA certificate for the pending key.',
      operations: {
        update: async (_req, data): Promise<LogicalResponse> => {
          const certs = parsePemBundle(data.certificate);
          const [leaf, ...chain] = certs;
          if (!leaf) throw new InvalidRequest('no certificate found in the certificate field');
          const pending = await deps.store.getPendingKey();
          if (!pending) throw new InvalidRequest('no pending intermediate key: generate an intermediate CSR first');
          const expected = await pendingPublicKeyDer(pending);
          if (!Buffer.from(leaf.publicKey.rawData).equals(expected)) {
            throw new InvalidRequest('the certificate does not match the pending intermediate key');
          }
          await deps.store.putCa({ certificate: certPem(leaf), chain: chain.map(certPem), key: pending });
          await deps.store.deletePendingKey();
          const serial = colonSerial(leaf.serialNumber);
          await deps.store.putCert({ serial, der: Buffer.from(leaf.rawData).toString('base64'), notAfter: Math.floor(leaf.notAfter.getTime() / 1000) });
          await deps.rebuildCrl();
          return { data: { imported_issuers: [serial], imported_keys: ['default'], existing_issuers: [], existing_keys: [], mapping: { [serial]: 'default' } } };
        },
      },
    }),
    path({
      pattern: 'ca',
      synopsis: 'The CA certificate, DER.',
      operations: { read: async () => rawCa(deps, 'der') },
    }),
    path({
      pattern: 'ca/pem',
      synopsis: 'The CA certificate, PEM.',
      operations: { read: async () => rawCa(deps, 'pem') },
    }),
    path({
      pattern: 'ca_chain',
      synopsis: 'The CA chain, PEM bundle.',
      operations: { read: async () => rawCa(deps, 'chain') },
    }),
  ];
}

async function pendingPublicKeyDer(key: StoredKey): Promise<Buffer> {
  const priv = createPrivateKey({ key: Buffer.from(key.pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  return createPublicKey(priv).export({ format: 'der', type: 'spki' }) as Buffer;
}

async function rawCa(deps: PkiDeps, form: 'der' | 'pem' | 'chain'): Promise<LogicalResponse> {
  const ca = await deps.store.getCa();
  if (!ca) {
    return { raw: { status: 204, contentType: 'application/pkix-cert', body: Buffer.alloc(0) } };
  }
  if (form === 'der') {
    return { raw: { status: 200, contentType: 'application/pkix-cert', body: Buffer.from(new x509.X509Certificate(ca.certificate).rawData) } };
  }
  const body = form === 'pem' ? ca.certificate.trim() : caChainPems(ca).join('\n');
  return { raw: { status: 200, contentType: 'application/pem-certificate-chain', body: `${body}\n` } };
}
