/**
 * HTTP → logical request: verb to operation, query to data, token and wrap headers.
 * This is the only place that knows the wire's request conventions.
 */
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { InvalidRequest, UnsupportedMediaType, UnsupportedOperation } from '../errors.js';
import type { Operation } from '../framework/logical.js';
import type { IncomingRequest } from '../core/request/pipeline.js';
import { parseDurationSeconds } from '../util/duration.js';
import { parseJsonObject } from './body.js';
import { peerCertificates } from './peer-certificates.js';

const GO_TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** Token from X-Vault-Token, else `Authorization: Bearer`, else "". */
export function clientToken(req: IncomingMessage): string {
  const header = req.headers['x-vault-token'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice(7).trim();
  return '';
}

function operationFor(method: string, query: URLSearchParams, contentType: string | undefined): Operation {
  switch (method) {
    case 'GET': {
      const list = query.get('list');
      if (list === null) return 'read';
      if (GO_TRUE.has(list)) return 'list';
      if (GO_FALSE.has(list)) return 'read';
      throw new InvalidRequest('invalid value for "list" query parameter');
    }
    case 'LIST': return 'list';
    case 'POST':
    case 'PUT': return 'update';
    case 'DELETE': return 'delete';
    case 'HEAD': return 'header';
    case 'PATCH': {
      const media = mediaType(contentType);
      if (media !== 'application/merge-patch+json') {
        throw new UnsupportedMediaType(`PATCH requires Content-Type of application/merge-patch+json, provided ${media || 'none'}`);
      }
      return 'patch';
    }
    default: throw new UnsupportedOperation();
  }
}

function wrapTtl(req: IncomingMessage): number | undefined {
  const header = req.headers['x-vault-wrap-ttl'];
  if (typeof header !== 'string' || header === '') return undefined;
  const seconds = parseDurationSeconds(header);
  if (seconds === undefined) throw new InvalidRequest('error parsing X-Vault-Wrap-TTL header');
  return seconds;
}

function stringHeaders(req: IncomingMessage): Record<string, string> {
  const headers = req.headers;
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The media type of a Content-Type header, lowercased, without parameters. */
function mediaType(contentType: string | undefined): string {
  return contentType ? contentType.split(';')[0]!.trim().toLowerCase() : '';
}

/** `forwardedChain`: the client certificate chain a standby vouched for (verified by the caller). */
export function toIncomingRequest(req: IncomingMessage, query: URLSearchParams, path: string, body: Buffer, remoteAddress: string, forwardedChain?: Buffer[]): IncomingRequest {
  const contentType = req.headers['content-type'];
  let operation = operationFor(req.method ?? 'GET', query, contentType);
  const data: Record<string, unknown> = {};
  if (operation === 'read' || operation === 'list' || operation === 'delete' || operation === 'header') {
    for (const [key, value] of query) if (key !== 'list' && key !== 'help') data[key] = value;
  }
  // An OCSP request (RFC 6960 POST) is DER, not JSON: the backend reads it from rawBody.
  if (operation !== 'read' && operation !== 'list' && operation !== 'header' && mediaType(contentType) !== 'application/ocsp-request') {
    Object.assign(data, parseJsonObject(body));
  }
  if (query.has('help') && GO_TRUE.has(query.get('help') ?? '')) operation = 'help';
  const logicalPath = operation === 'list' && !path.endsWith('/') ? `${path}/` : path;
  return {
    id: randomUUID(),
    operation,
    path: logicalPath,
    data,
    clientToken: clientToken(req),
    wrapTtlSeconds: wrapTtl(req),
    headers: stringHeaders(req),
    remoteAddress,
    remotePort: req.socket.remotePort,
    peerCertificate: forwardedChain ?? peerCertificates(req.socket),
    rawBody: body,
  };
}
