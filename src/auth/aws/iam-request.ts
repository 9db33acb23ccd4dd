/**
 * The signed sts:GetCallerIdentity request a client hands in (Vault's iam login fields, base64
 * as Vault's client sends them), checked strictly before anything is forwarded: POST only, the
 * URL must be the configured STS endpoint, the body exactly Action=GetCallerIdentity and
 * Version=2011-06-15, a well-formed SigV4 Authorization header that signs host and x-amz-date,
 * a Host header (when present) naming the endpoint, and the server ID header signed and equal
 * to the configured value.
 */
import { timingSafeEqual } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';

export const SERVER_ID_HEADER = 'x-vault-aws-iam-server-id';
const HOP_BY_HOP = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'proxy-connection', 'te', 'trailer', 'expect']);
const MAX_HEADERS = 32;

export interface IamLoginInput {
  iam_http_request_method?: string;
  iam_request_url?: string;
  iam_request_body?: string;
  iam_request_headers?: unknown;
}

export interface CheckedIamRequest {
  body: Buffer;
  /** Lower-cased names; the values exactly as the client signed them. */
  headers: Map<string, string>;
  accessKeyId: string;
}

function b64(field: string, value: string | undefined): Buffer {
  if (value === undefined || value === '') throw new InvalidRequest(`missing ${field}`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) throw new InvalidRequest(`${field} is not valid base64`);
  return Buffer.from(value, 'base64');
}

function decodeHeaders(raw: unknown): Map<string, string> {
  let obj: unknown = raw;
  if (typeof raw === 'string') {
    const text = b64('iam_request_headers', raw).toString('utf8');
    try { obj = JSON.parse(text); } catch { throw new InvalidRequest('iam_request_headers is not base64-encoded JSON'); }
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new InvalidRequest('iam_request_headers must be a JSON object of header names to values');
  const entries = Object.entries(obj as Record<string, unknown>);
  if (entries.length > MAX_HEADERS) throw new InvalidRequest('iam_request_headers has too many headers');
  const headers = new Map<string, string>();
  for (const [name, value] of entries) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) throw new InvalidRequest('iam_request_headers has an invalid header name');
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0 || !values.every((v) => typeof v === 'string' && !/[\r\n\0]/.test(v))) throw new InvalidRequest('iam_request_headers values must be strings');
    const key = name.toLowerCase();
    if (headers.has(key)) throw new InvalidRequest('iam_request_headers repeats a header name');
    headers.set(key, (values as string[]).join(','));
  }
  return headers;
}

function strictBody(body: Buffer): void {
  const text = body.toString('utf8');
  const params = new URLSearchParams(text);
  const keys = [...params.keys()];
  if (keys.length !== 2 || params.getAll('Action').length !== 1 || params.getAll('Version').length !== 1
    || params.get('Action') !== 'GetCallerIdentity' || params.get('Version') !== '2011-06-15') {
    throw new InvalidRequest('iam_request_body must be exactly Action=GetCallerIdentity&Version=2011-06-15');
  }
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]{16,128})\/(\d{8})\/([a-z0-9-]+)\/sts\/aws4_request, ?SignedHeaders=([a-z0-9-]+(?:;[a-z0-9-]+)*), ?Signature=([0-9a-f]{64})$/;

export function checkIamRequest(input: IamLoginInput, endpoint: URL, region: string, serverId: string): CheckedIamRequest {
  const method = input.iam_http_request_method ?? '';
  if (method !== 'POST') throw new InvalidRequest('iam_http_request_method must be POST');
  const urlText = b64('iam_request_url', input.iam_request_url).toString('utf8');
  let url: URL;
  try { url = new URL(urlText); } catch { throw new InvalidRequest('iam_request_url is not a valid URL'); }
  const endpointPath = endpoint.pathname || '/';
  if (url.origin !== endpoint.origin || url.pathname !== endpointPath || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new InvalidRequest('iam_request_url does not name the configured STS endpoint');
  }
  const body = b64('iam_request_body', input.iam_request_body);
  strictBody(body);
  if (input.iam_request_headers === undefined || input.iam_request_headers === '') throw new InvalidRequest('missing iam_request_headers');
  const headers = decodeHeaders(input.iam_request_headers);

  const host = headers.get('host');
  if (host !== undefined && host !== endpoint.host) throw new InvalidRequest('the signed Host header does not name the configured STS endpoint');
  const auth = AUTHORIZATION.exec(headers.get('authorization') ?? '');
  if (!auth) throw new InvalidRequest('iam_request_headers lacks a well-formed AWS4-HMAC-SHA256 Authorization header');
  const [, accessKeyId, scopeDate, scopeRegion, signedList] = auth;
  const signed = signedList.split(';');
  if (!signed.includes('host')) throw new InvalidRequest('the Authorization header does not sign the host');
  const amzDate = headers.get('x-amz-date') ?? '';
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || !signed.includes('x-amz-date')) throw new InvalidRequest('the request must carry a signed X-Amz-Date header');
  if (amzDate.slice(0, 8) !== scopeDate) throw new InvalidRequest('X-Amz-Date does not match the credential scope date');
  if (scopeRegion !== region) throw new InvalidRequest('the credential scope region does not match the configured sts_region');
  if (!signed.every((h) => h === 'host' || headers.has(h))) throw new InvalidRequest('a signed header is missing from iam_request_headers');

  if (serverId !== '') {
    const given = headers.get(SERVER_ID_HEADER);
    if (given === undefined) throw new InvalidRequest('missing header "X-Vault-AWS-IAM-Server-ID"');
    const a = Buffer.from(given, 'utf8');
    const b = Buffer.from(serverId, 'utf8');
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new InvalidRequest('expected X-Vault-AWS-IAM-Server-ID header value does not match');
    if (!signed.includes(SERVER_ID_HEADER)) throw new InvalidRequest('X-Vault-AWS-IAM-Server-ID header is not signed');
  }

  const forwarded = new Map<string, string>();
  for (const [k, v] of headers) if (!HOP_BY_HOP.has(k) && k !== 'host') forwarded.set(k, v);
  forwarded.set('host', endpoint.host);
  return { body, headers: forwarded, accessKeyId };
}
