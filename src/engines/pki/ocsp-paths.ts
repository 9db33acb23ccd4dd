/** ocsp (POST DER) and ocsp/:req (GET, base64 in the path): the CA's OCSP responder. */
import { path } from '../../framework/path.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { colonSerial, x509 } from './crypto.js';
import type { PkiDeps } from './deps.js';
import { buildOcspResponse, issuerHashes, OCSP_STATUS, ocspEnvelope, parseOcspRequest, type CertStatus, type SingleAnswer } from './ocsp.js';

const CONTENT_TYPE = 'application/ocsp-response';
const NEXT_UPDATE_SECONDS = 72 * 3600;

function reply(status: number, body: Buffer): LogicalResponse {
  return { raw: { status, contentType: CONTENT_TYPE, body } };
}

export async function answerOcsp(deps: PkiDeps, der: Buffer): Promise<LogicalResponse> {
  let request;
  try {
    request = parseOcspRequest(der);
  } catch {
    // MalformedOcspRequest, or the DER decoder giving up: either way the request is malformed.
    return reply(400, ocspEnvelope(OCSP_STATUS.malformedRequest));
  }
  const ca = await deps.store.getCa();
  if (!ca) return reply(401, ocspEnvelope(OCSP_STATUS.unauthorized));
  const issuer = new x509.X509Certificate(ca.certificate);
  const answers: SingleAnswer[] = [];
  for (const certId of request.certIds) {
    const hashes = issuerHashes(issuer, certId.hash);
    if (!hashes.name.equals(certId.issuerNameHash) || !hashes.key.equals(certId.issuerKeyHash)) {
      return reply(401, ocspEnvelope(OCSP_STATUS.unauthorized));
    }
    const serial = colonSerial(certId.serialHex);
    const revoked = await deps.store.getRevoked(serial);
    let status: CertStatus;
    if (revoked) status = { status: 'revoked', revokedAt: new Date(revoked.revocation_time * 1000) };
    else if (await deps.store.getCert(serial)) status = { status: 'good' };
    else status = { status: 'unknown' };
    answers.push({ certId, status });
  }
  return reply(200, buildOcspResponse({ issuer, key: ca.key, answers, nonce: request.nonce, now: deps.now(), nextUpdateSeconds: NEXT_UPDATE_SECONDS }));
}

export function ocspPaths(deps: PkiDeps) {
  return [
    path({
      pattern: 'ocsp',
      synopsis: 'OCSP responder (POST, DER body of Content-Type application/ocsp-request).',
      arbitraryData: true,
      operations: {
        update: async (req) => answerOcsp(deps, req.rawBody ?? Buffer.alloc(0)),
      },
    }),
    path({
      pattern: 'ocsp/:req*',
      fields: { req: { type: 'string', required: true } },
      synopsis: 'OCSP responder (GET, base64 DER request in the path).',
      operations: {
        read: async (_req, data) => {
          const text = data.req.includes('%') ? decodeURIComponent(data.req) : data.req;
          return answerOcsp(deps, Buffer.from(text, 'base64'));
        },
      },
    }),
  ];
}
