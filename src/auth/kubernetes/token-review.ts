/**
 * POST {kubernetes_host}/apis/authentication.k8s.io/v1/tokenreviews over TLS verified against
 * the configured CA, authorised with the reviewer JWT (Bearer). The answer is parsed strictly.
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { UpstreamError } from '../../errors.js';

export interface TokenReviewResult {
  authenticated: boolean;
  username: string;
  uid: string;
  audiences: string[];
  error: string;
}

const MAX_RESPONSE = 256 * 1024;

export function apiBase(host: string): URL {
  return new URL(/^[a-z]+:\/\//i.test(host) ? host : `https://${host}`);
}

export async function reviewToken(opts: { host: string; ca: string; reviewerJwt: string; jwt: string; audiences: string[] }): Promise<TokenReviewResult> {
  const base = apiBase(opts.host);
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/apis/authentication.k8s.io/v1/tokenreviews`, base);
  const payload = Buffer.from(JSON.stringify({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    spec: { token: opts.jwt, ...(opts.audiences.length ? { audiences: opts.audiences } : {}) },
  }));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const r = send(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${opts.reviewerJwt}`, 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': payload.length },
      timeout: 30_000,
      ...(url.protocol === 'https:' ? { ca: opts.ca || undefined, minVersion: 'TLSv1.2' as const } : {}),
    }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => { size += c.length; if (size > MAX_RESPONSE) res.destroy(new Error('response too large')); else chunks.push(c); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => reject(new UpstreamError(`error reading the TokenReview response: ${err.message}`)));
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (err: NodeJS.ErrnoException) => reject(new UpstreamError(`error calling the TokenReview API: ${err.code ?? err.message}`)));
    r.end(payload);
  });
  if (status === 401 || status === 403) throw new UpstreamError(`the TokenReview API refused the reviewer credentials (status ${status}); check token_reviewer_jwt`);
  if (status !== 200 && status !== 201) throw new UpstreamError(`the TokenReview API answered with status ${status}`);
  let review: any;
  try { review = JSON.parse(body); } catch { throw new UpstreamError('the TokenReview API returned invalid JSON'); }
  if (review?.kind !== 'TokenReview' || typeof review.status !== 'object' || review.status === null) throw new UpstreamError('the TokenReview API returned an unexpected object');
  const s = review.status;
  return {
    authenticated: s.authenticated === true,
    username: typeof s.user?.username === 'string' ? s.user.username : '',
    uid: typeof s.user?.uid === 'string' ? s.user.uid : '',
    audiences: Array.isArray(s.audiences) ? s.audiences.filter((a: unknown): a is string => typeof a === 'string') : [],
    error: typeof s.error === 'string' ? s.error.slice(0, 200) : '',
  };
}
