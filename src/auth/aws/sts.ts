/**
 * Forwards a checked GetCallerIdentity request to the configured STS endpoint and parses the
 * answer strictly: one GetCallerIdentityResult with exactly one Arn, UserId and Account, plain
 * text values in their character sets, the account equal to the ARN's.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { InvalidRequest, UpstreamError } from '../../errors.js';
import type { CheckedIamRequest } from './iam-request.js';
import { parsePrincipalArn, type ParsedArn } from './arn.js';

const MAX_RESPONSE = 64 * 1024;

export interface CallerIdentity { arn: string; userId: string; account: string; principal: ParsedArn }

export interface StsTransport {
  /** Optional CA bundle for a private STS endpoint (tests, VPC endpoints with private CAs). */
  ca?: string | Buffer;
}

function post(endpoint: URL, req: CheckedIamRequest, transport: StsTransport): Promise<{ status: number; body: string }> {
  const send = endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = {};
  for (const [k, v] of req.headers) headers[k] = v;
  headers['content-length'] = String(req.body.length);
  return new Promise((resolve, reject) => {
    const r = send(endpoint, { method: 'POST', headers, timeout: 30_000, ...(transport.ca ? { ca: transport.ca } : {}) }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_RESPONSE) { res.destroy(); reject(new UpstreamError('STS response too large')); return; }
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => reject(new UpstreamError('error reading the STS response')));
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (err) => reject(new UpstreamError(`error making upstream request to STS: ${err.message.includes('timeout') ? 'timeout' : (err as NodeJS.ErrnoException).code ?? 'network error'}`)));
    r.end(req.body);
  });
}

function single(xml: string, tag: string, charset: RegExp): string {
  const re = new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g');
  const found = [...xml.matchAll(re)];
  const opens = xml.split(`<${tag}`).length - 1;
  if (found.length !== 1 || opens !== 1 || !charset.test(found[0][1])) throw new InvalidRequest(`unrecognized STS response: expected exactly one ${tag}`);
  return found[0][1];
}

export function parseCallerIdentity(xml: string): CallerIdentity {
  const results = [...xml.matchAll(/<GetCallerIdentityResult>([\s\S]*?)<\/GetCallerIdentityResult>/g)];
  if (results.length !== 1 || !/^\s*(<\?xml[^>]*\?>\s*)?<GetCallerIdentityResponse[\s>]/.test(xml)) throw new InvalidRequest('unrecognized STS response');
  const inner = results[0][1];
  const arn = single(inner, 'Arn', /^arn:[\w+=,.@/:-]+$/);
  const userId = single(inner, 'UserId', /^[A-Za-z0-9:_+=,.@-]{1,256}$/);
  const account = single(inner, 'Account', /^\d{12}$/);
  const principal = parsePrincipalArn(arn);
  if (principal.account !== account) throw new InvalidRequest('unrecognized STS response: account does not match the ARN');
  return { arn, userId, account, principal };
}

function stsError(body: string): string {
  const code = /<Code>([A-Za-z.]{1,64})<\/Code>/.exec(body)?.[1] ?? 'unknown';
  const message = /<Message>([^<]{0,300})<\/Message>/.exec(body)?.[1];
  return message ? `${code}: ${message}` : code;
}

export async function getCallerIdentity(endpoint: URL, req: CheckedIamRequest, transport: StsTransport = {}): Promise<CallerIdentity> {
  const res = await post(endpoint, req, transport);
  if (res.status !== 200) {
    throw new InvalidRequest(`error making upstream request: received error code ${res.status} from STS: ${stsError(res.body)}`);
  }
  return parseCallerIdentity(res.body);
}
