/**
 * A small HTTP(S) client for the remote server's API as the transit seal uses it: JSON in,
 * JSON out, the token in X-Vault-Token, X-Vault-Namespace when configured, TLS options from
 * the stanza. Every failure is an UpstreamError whose message names the cause (status and the
 * remote's error text, or the network error code), never a token or a payload.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { UpstreamError } from '../../errors.js';
import type { TransitSealConfig } from './config.js';

export interface RemoteResponse {
  status: number;
  body: Record<string, any> | undefined;
}

const TIMEOUT_MS = 10_000;

export function createRemoteClient(config: Pick<TransitSealConfig, 'address' | 'token' | 'namespace' | 'tls'>) {
  const base = new URL(config.address);
  const secure = base.protocol === 'https:';

  function send(method: string, path: string, body?: unknown): Promise<RemoteResponse> {
    const target = new URL(`${base.pathname.replace(/\/$/, '')}/v1/${path}`, base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { 'X-Vault-Token': config.token, 'X-Vault-Request': 'true' };
    if (config.namespace) headers['X-Vault-Namespace'] = config.namespace;
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(payload);
    }
    const options = {
      method,
      headers,
      timeout: TIMEOUT_MS,
      ...(secure ? {
        ca: config.tls.ca,
        cert: config.tls.cert,
        key: config.tls.key,
        servername: config.tls.serverName,
        rejectUnauthorized: !config.tls.skipVerify,
      } : {}),
    };
    return new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(target, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, any> | undefined;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', (err) => reject(networkError(err)));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(networkError(err)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  function networkError(err: Error & { code?: string }): UpstreamError {
    return new UpstreamError(`transit seal: cannot reach ${base.origin}: ${err.code ?? err.message}`, { cause: err });
  }

  return {
    send,
    /** Sends and requires a 2xx; otherwise an UpstreamError naming the status and remote errors. */
    async call(method: string, path: string, body?: unknown): Promise<Record<string, any>> {
      const res = await send(method, path, body);
      if (res.status >= 200 && res.status < 300) return res.body ?? {};
      throw remoteError(res, path);
    },
  };
}

export function remoteError(res: RemoteResponse, path: string): UpstreamError {
  const errors = Array.isArray(res.body?.errors) ? (res.body!.errors as unknown[]).filter((e) => typeof e === 'string').join('; ') : '';
  const status = res.status === 503 ? `${res.status} (remote sealed or unavailable)` : String(res.status);
  return new UpstreamError(`transit seal: ${path} answered ${status}${errors ? `: ${errors}` : ''}`);
}

export type RemoteClient = ReturnType<typeof createRemoteClient>;
