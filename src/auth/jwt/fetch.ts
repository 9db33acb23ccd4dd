/** Small HTTP(S) client for the issuer's discovery, JWKS and token endpoints (custom CA, timeouts). */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { UpstreamError } from '../../errors.js';

export interface FetchOptions {
  caPem?: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

const MAX_BODY = 1024 * 1024;

/** Fetches `url` and parses a JSON object body; any failure is an UpstreamError naming `what`. */
export function fetchJson(url: string, what: string, options: FetchOptions = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  let target: URL;
  try { target = new URL(url); } catch { return Promise.reject(new UpstreamError(`${what}: invalid URL`)); }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return Promise.reject(new UpstreamError(`${what}: unsupported URL scheme`));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, {
      method: options.method ?? 'GET',
      headers: { Accept: 'application/json', ...options.headers, ...(options.body !== undefined ? { 'Content-Length': Buffer.byteLength(options.body) } : {}) },
      ...(options.caPem ? { ca: options.caPem } : {}),
      timeout: options.timeoutMs ?? 10_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) { req.destroy(); reject(new UpstreamError(`${what}: response too large`)); return; }
        chunks.push(c);
      });
      res.on('end', () => {
        let json: unknown;
        try { json = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { json = undefined; }
        if (json === null || typeof json !== 'object' || Array.isArray(json)) {
          reject(new UpstreamError(`${what}: response was not a JSON object (status ${res.statusCode ?? 0})`));
          return;
        }
        resolve({ status: res.statusCode ?? 0, json: json as Record<string, unknown> });
      });
      res.on('error', (err) => reject(new UpstreamError(`${what}: ${err.message}`)));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => reject(new UpstreamError(`${what}: ${err.message}`)));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
