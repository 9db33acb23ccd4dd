/**
 * Revocation and the stored certificates: revoke, crl, crl/pem, crl/rotate, cert/:serial,
 * certs (LIST), certs/revoked (LIST), tidy. The CRL is re-signed on every revocation.
 */
import * as asn1js from 'asn1js';
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { colonSerial, importSigningKey, signingAlgorithm, x509 } from './crypto.js';
import { parsePemBundle } from './certgen.js';
import { rfc3339, type PkiDeps } from './deps.js';
import { caChainPems } from './issuance.js';
import type { PkiStore } from './store.js';

const CRL_VALIDITY_SECONDS = 72 * 3600;
const CRL_NUMBER_OID = '2.5.29.20';

/** Signs a fresh CRL over every revoked/ entry and stores it with the next CRL number. */
export async function buildCrl(store: PkiStore, now: Date): Promise<Buffer> {
  const ca = await store.getCa();
  if (!ca) return Buffer.alloc(0);
  const caCert = new x509.X509Certificate(ca.certificate);
  const state = await store.getCrlState();
  const number = state.number + 1;
  const entries: { serialNumber: string; revocationDate: Date }[] = [];
  for (const serial of await store.listRevoked()) {
    const record = await store.getRevoked(serial);
    if (record) entries.push({ serialNumber: record.serial.replace(/:/g, ''), revocationDate: new Date(record.revocation_time * 1000) });
  }
  const extensions: x509.Extension[] = [new x509.Extension(CRL_NUMBER_OID, false, new asn1js.Integer({ value: number }).toBER())];
  const ski = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) extensions.push(new x509.AuthorityKeyIdentifierExtension(ski.keyId, false));
  const crl = await x509.X509CrlGenerator.create({
    issuer: caCert.subjectName,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + CRL_VALIDITY_SECONDS * 1000),
    entries,
    extensions,
    signingKey: await importSigningKey(ca.key),
    signingAlgorithm: signingAlgorithm(ca.key),
  });
  const der = Buffer.from(crl.rawData);
  await store.putCrlState({ number, der: der.toString('base64') });
  return der;
}

/** Revokes a stored certificate; idempotent (returns the first revocation time). */
export async function revokeSerial(deps: PkiDeps, serialInput: string): Promise<{ revocation_time: number }> {
  const serial = colonSerial(serialInput);
  const existing = await deps.store.getRevoked(serial);
  if (existing) return { revocation_time: existing.revocation_time };
  const record = await deps.store.getCert(serial);
  if (!record) throw new InvalidRequest('certificate with the given serial number was not found');
  const ca = await deps.store.getCa();
  if (ca && colonSerial(new x509.X509Certificate(ca.certificate).serialNumber) === serial) {
    throw new InvalidRequest('adding the CA\'s own certificate to its CRL is not allowed');
  }
  const revocationTime = Math.floor(deps.now().getTime() / 1000);
  await deps.store.putRevoked({ serial, revocation_time: revocationTime, der: record.der, notAfter: record.notAfter });
  await deps.rebuildCrl();
  return { revocation_time: revocationTime };
}

async function currentCrl(deps: PkiDeps): Promise<Buffer> {
  const state = await deps.store.getCrlState();
  return state.der ? Buffer.from(state.der, 'base64') : deps.rebuildCrl();
}

function crlPem(der: Buffer): string {
  return x509.PemConverter.encode(new Uint8Array(der), 'X509 CRL');
}

export function revokePaths(deps: PkiDeps) {
  return [
    path({
      pattern: 'revoke',
      fields: { serial_number: { type: 'string', default: '' }, certificate: { type: 'string', default: '' } },
      synopsis: 'Revoke a certificate by serial number or PEM.',
      operations: {
        update: async (_req, data): Promise<LogicalResponse> => {
          if ((data.serial_number === '') === (data.certificate === '')) {
            throw new InvalidRequest('exactly one of serial_number or certificate is required');
          }
          let serial = data.serial_number;
          if (data.certificate !== '') {
            const [cert] = parsePemBundle(data.certificate);
            if (!cert) throw new InvalidRequest('certificate contains no valid certificate');
            serial = cert.serialNumber;
            const stored = await deps.store.getCert(serial);
            if (!stored || !Buffer.from(stored.der, 'base64').equals(Buffer.from(cert.rawData))) {
              throw new InvalidRequest('certificate was not issued by this mount');
            }
          }
          const { revocation_time } = await revokeSerial(deps, serial);
          return { data: { revocation_time, revocation_time_rfc3339: rfc3339(new Date(revocation_time * 1000)), state: 'revoked' } };
        },
      },
    }),
    path({
      pattern: 'crl',
      synopsis: 'The current CRL, DER.',
      operations: { read: async () => ({ raw: { status: 200, contentType: 'application/pkix-crl', body: await currentCrl(deps) } }) },
    }),
    path({
      pattern: 'crl/pem',
      synopsis: 'The current CRL, PEM.',
      operations: { read: async () => ({ raw: { status: 200, contentType: 'application/x-pem-file', body: `${crlPem(await currentCrl(deps))}\n` } }) },
    }),
    path({
      pattern: 'crl/rotate',
      synopsis: 'Re-sign the CRL now.',
      operations: {
        read: async () => {
          await deps.rebuildCrl();
          return { data: { success: true } };
        },
      },
    }),
    path({
      pattern: 'cert/:serial',
      fields: { serial: { type: 'string', required: true } },
      synopsis: 'A certificate issued by this mount, by serial number (or ca, ca_chain, crl).',
      operations: {
        read: async (_req, data): Promise<LogicalResponse | undefined> => {
          if (data.serial === 'ca' || data.serial === 'ca_chain') {
            const ca = await deps.store.getCa();
            if (!ca) return undefined;
            const chain = caChainPems(ca);
            return { data: { certificate: data.serial === 'ca' ? chain[0] : chain.join('\n'), ca_chain: chain, revocation_time: 0 } };
          }
          if (data.serial === 'crl') return { data: { certificate: crlPem(await currentCrl(deps)), revocation_time: 0 } };
          const record = await deps.store.getCert(colonSerial(data.serial));
          if (!record) return undefined;
          const revoked = await deps.store.getRevoked(record.serial);
          const ca = await deps.store.getCa();
          return {
            data: {
              certificate: x509.PemConverter.encode(Buffer.from(record.der, 'base64'), 'CERTIFICATE'),
              revocation_time: revoked?.revocation_time ?? 0,
              revocation_time_rfc3339: revoked ? rfc3339(new Date(revoked.revocation_time * 1000)) : '',
              // As Vault: the issuer is named only once the certificate is revoked.
              ...(ca && revoked ? { issuer_id: colonSerial(new x509.X509Certificate(ca.certificate).serialNumber) } : {}),
            },
          };
        },
      },
    }),
    path({
      pattern: 'certs/',
      synopsis: 'List the serial numbers of stored certificates.',
      operations: { list: async () => ({ data: { keys: await deps.store.listCerts() } }) },
    }),
    path({
      pattern: 'certs/revoked/',
      synopsis: 'List the serial numbers of revoked certificates.',
      operations: { list: async () => ({ data: { keys: await deps.store.listRevoked() } }) },
    }),
    path({
      pattern: 'tidy',
      fields: {
        tidy_cert_store: { type: 'bool', default: false },
        tidy_revoked_certs: { type: 'bool', default: false },
        tidy_revoked_cert_issuer_associations: { type: 'bool', default: false },
        safety_buffer: { type: 'duration', default: 72 * 3600 },
      },
      synopsis: 'Remove expired certificates (past the safety buffer) from storage and the CRL.',
      operations: {
        update: async (_req, data): Promise<LogicalResponse> => {
          if (!data.tidy_cert_store && !data.tidy_revoked_certs) {
            throw new InvalidRequest('at least one of tidy_cert_store or tidy_revoked_certs must be set');
          }
          const cutoff = Math.floor(deps.now().getTime() / 1000) - data.safety_buffer;
          let certsDeleted = 0;
          let revokedDeleted = 0;
          if (data.tidy_cert_store) {
            for (const serial of await deps.store.listCerts()) {
              const record = await deps.store.getCert(serial);
              if (record && record.notAfter < cutoff) {
                await deps.store.deleteCert(serial);
                certsDeleted += 1;
              }
            }
          }
          if (data.tidy_revoked_certs) {
            for (const serial of await deps.store.listRevoked()) {
              const record = await deps.store.getRevoked(serial);
              if (record && record.notAfter < cutoff) {
                await deps.store.deleteRevoked(serial);
                await deps.store.deleteCert(serial);
                revokedDeleted += 1;
              }
            }
            if (revokedDeleted > 0) await deps.rebuildCrl();
          }
          return {
            statusCode: 202,
            data: { cert_store_deleted_count: certsDeleted, revoked_cert_deleted_count: revokedDeleted },
            warnings: ['Tidy operation successfully started. Any information from the operation will be printed to Arca\'s server logs.'],
          };
        },
      },
    }),
  ];
}
