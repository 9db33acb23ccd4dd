/** A minimal HTTP client for Vault's API, used by tests and the benchmark. */
import { request as httpRequest } from 'node:http';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export interface Api {
  url: string;
  token: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
}

export function apiClient(url: string, token = ''): Api {
  const api: Api = {
    url,
    token,
    call(method, path, body, headers = {}) {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      // The path goes out exactly as given (no URL resolution of `..`): tests send tricky paths on purpose.
      const base = new URL(url);
      return new Promise((resolve, reject) => {
        const req = httpRequest({
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port,
          path: path.startsWith('/') ? path : `/v1/${path}`,
          method,
          headers: {
            ...(api.token ? { 'X-Vault-Token': api.token } : {}),
            ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
            ...headers,
          },
        }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        });
        req.on('error', reject);
        if (payload !== undefined) req.write(payload);
        req.end();
      });
    },
  };
  return api;
}
