/**
 * `arca login -method=oidc`, as Vault's CLI: listens on localhost (port 8250 by default) for
 * the provider's redirect, asks auth/<path>/oidc/auth_url for the authorisation URL (with a
 * client nonce), opens a browser or prints the URL, then completes the login by passing the
 * callback's state and code to auth/<path>/oidc/callback.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Secret } from '../format.js';
import { println } from '../command.js';
import { LoginUsageError, type LoginMethodInput } from './login-types.js';

const WAIT_MS = 2 * 60_000;
const DONE_PAGE = '<!doctype html><html><body><p>Signed in via your OIDC provider. You can now close this window.</p></body></html>';

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'rundll32' : 'xdg-open';
  const args = process.platform === 'win32' ? ['url.dll,FileProtocolHandler', url] : [url];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch { /* the URL is printed as well */ }
}

export async function loginWithOidc(input: LoginMethodInput): Promise<Secret> {
  const p = input.params;
  const listenAddress = p.listenaddress || 'localhost';
  const port = Number(p.port || '8250');
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new LoginUsageError('invalid port');
  const callbackHost = p.callbackhost || 'localhost';
  const callbackMethod = p.callbackmethod || 'http';
  const callbackPort = p.callbackport || String(port);
  const redirectUri = `${callbackMethod}://${callbackHost}:${callbackPort}/oidc/callback`;
  const clientNonce = randomBytes(20).toString('base64url');

  let settle!: { resolve(q: URLSearchParams): void; reject(e: Error): void };
  const callback = new Promise<URLSearchParams>((resolve, reject) => { settle = { resolve, reject }; });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/oidc/callback') { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(DONE_PAGE);
    settle.resolve(url.searchParams);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new LoginUsageError(`cannot listen on ${listenAddress}:${port} for the OIDC callback: ${err.message}`)));
    server.listen(port, listenAddress, () => resolve());
  });
  const timer = setTimeout(() => settle.reject(new LoginUsageError('timed out waiting for the OIDC provider callback')), WAIT_MS);
  try {
    const start = await input.client.post(`auth/${input.mount}/oidc/auth_url`, { role: p.role ?? '', redirect_uri: redirectUri, client_nonce: clientNonce });
    const authUrl = String(((start.body as Secret).data ?? {}).auth_url ?? '');
    if (authUrl === '') throw new LoginUsageError('No auth URL returned; check the role and its allowed_redirect_uris');
    const skipBrowser = /^(1|t|true)$/i.test(p.skip_browser ?? '');
    println(input.ctx.stderr, skipBrowser
      ? `Complete the login via your OIDC provider. Open the following link in your browser:\n\n    ${authUrl}\n\n`
      : `Complete the login via your OIDC provider. Launching browser to:\n\n    ${authUrl}\n\n`);
    if (!skipBrowser) openBrowser(authUrl);
    println(input.ctx.stderr, 'Waiting for OIDC authentication to complete...');
    const query = await callback;
    const res = await input.client.get(`auth/${input.mount}/oidc/callback`, {
      query: { state: query.get('state') ?? '', code: query.get('code') ?? '', id_token: query.get('id_token') ?? undefined, client_nonce: clientNonce },
    });
    return res.body as Secret;
  } finally {
    clearTimeout(timer);
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  }
}
