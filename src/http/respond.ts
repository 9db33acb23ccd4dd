/** Writing responses: JSON bodies, Vault's error shape, one status table. */
import type { ServerResponse } from 'node:http';
import { ArcaError, SealedError } from '../errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status = 204): void {
  res.writeHead(status, { 'Cache-Control': 'no-store' });
  res.end();
}

/** Maps any thrown value to Vault's `{"errors": [...]}`; unknown errors become a bare 500. */
export function sendError(res: ServerResponse, err: unknown, log: (message: string) => void): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof ArcaError) {
    const message = err instanceof SealedError ? 'Vault is sealed' : err.message;
    const errors = err.status === 404 && message === '' ? [] : [message];
    sendJson(res, err.status, { errors });
    return;
  }
  log(`http: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  sendJson(res, 500, { errors: ['internal error'] });
}
