/**
 * A small HTTP client for Vault's wire API over node:http/https. Sends X-Vault-Token and
 * X-Vault-Request; failures become ApiError, rendered exactly like Vault's Go client.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';

export interface ClientConfig {
  address: string;
  token?: string;
  /** PEM file trusted for https addresses. */
  caCertFile?: string;
  skipVerify?: boolean;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Statuses ≥ 400 returned instead of thrown (e.g. 404 for a read that found nothing). */
  accept?: number[];
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

/** An error status from the server, rendered like Vault's api.ResponseError. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly errors: string[],
    readonly raw: boolean,
  ) {
    super(renderApiError(method, url, status, errors, raw));
    this.name = 'ApiError';
  }
}

export function renderApiError(method: string, url: string, status: number, errors: string[], raw: boolean): string {
  let out = `Error making API request.\n\nURL: ${method} ${url}\nCode: ${status}. ${raw ? 'Raw Message' : 'Errors'}:\n\n`;
  if (raw && errors.length === 1) out += errors[0];
  else out += errors.map((e) => `* ${e}`).join('');
  return out;
}

/** A connection failure (server down, TLS failure): message like Go's net/http error. */
export class TransportError extends Error {}

export function createClient(config: ClientConfig) {
  const base = new URL(config.address);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TransportError(`invalid address scheme in ${config.address}`);
  const ca = base.protocol === 'https:' && config.caCertFile ? readFileSync(config.caCertFile) : undefined;
  let token = config.token;

  function urlFor(path: string, query?: RequestOptions['query']): URL {
    const prefix = base.pathname.replace(/\/+$/, '');
    const url = new URL(`${prefix}/v1/${path.replace(/^\/+/, '')}`, base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  function request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const url = urlFor(path, options.query);
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = { 'X-Vault-Request': 'true', ...options.headers };
    if (token) headers['X-Vault-Token'] = token;
    if (payload) {
      headers['Content-Type'] ??= 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const transport = url.protocol === 'https:' ? https : http;
    const tls = url.protocol === 'https:' ? { ca, rejectUnauthorized: !config.skipVerify } : {};
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { method, headers, ...tls }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let body: unknown = undefined;
          let parsed = true;
          if (text.trim() !== '') {
            try { body = JSON.parse(text); } catch { parsed = false; body = text; }
          }
          if (status >= 400 && !(options.accept ?? []).includes(status)) {
            const errors = parsed && isErrorBody(body) ? body.errors.map(String) : [text];
            reject(new ApiError(method, url.toString(), status, errors, !(parsed && isErrorBody(body))));
            return;
          }
          resolve({ status, body, headers: res.headers });
        });
      });
      req.on('error', (err: Error) => reject(new TransportError(`${method[0]}${method.slice(1).toLowerCase()} "${url.toString()}": ${err.message}`)));
      if (payload) req.write(payload);
      req.end();
    });
  }

  return {
    address: base.toString().replace(/\/$/, ''),
    token: () => token,
    setToken(next: string | undefined) { token = next; },
    request,
    get: (path: string, options?: RequestOptions) => request('GET', path, options),
    put: (path: string, body?: unknown, options?: RequestOptions) => request('PUT', path, { ...options, body }),
    post: (path: string, body?: unknown, options?: RequestOptions) => request('POST', path, { ...options, body }),
    delete: (path: string, options?: RequestOptions) => request('DELETE', path, options),
    /** GET ?list=true: node:http servers do not parse the LIST verb, and Vault treats both alike. */
    list: (path: string, options?: RequestOptions) => request('GET', path, { ...options, query: { ...options?.query, list: 'true' } }),
  };
}

export type Client = ReturnType<typeof createClient>;

function isErrorBody(body: unknown): body is { errors: unknown[] } {
  return typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors);
}
