/**
 * `arca login -method=cert`: a POST to auth/<path>/login over a mutual-TLS connection that
 * presents the client certificate (-client-cert/-client-key or ARCA_/VAULT_CLIENT_CERT/KEY).
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { ApiError, TransportError } from '../client.js';
import type { Secret } from '../format.js';
import { LoginUsageError, type LoginMethodInput } from './login-types.js';

function envValue(env: Record<string, string | undefined>, name: string): string {
  return env[`ARCA_${name}`] || env[`VAULT_${name}`] || '';
}

export async function loginWithCert(input: LoginMethodInput): Promise<Secret> {
  const certFile = input.flags['client-cert'] || envValue(input.ctx.env, 'CLIENT_CERT');
  const keyFile = input.flags['client-key'] || envValue(input.ctx.env, 'CLIENT_KEY');
  if (!certFile || !keyFile) throw new LoginUsageError('cert login needs -client-cert and -client-key (or ARCA_CLIENT_CERT and ARCA_CLIENT_KEY)');
  const url = new URL(`${input.client.address}/v1/auth/${input.mount}/login`);
  if (url.protocol !== 'https:') throw new LoginUsageError('cert login needs an https:// address');
  const body = Buffer.from(JSON.stringify(input.params.name ? { name: input.params.name } : {}));
  let files: { ca?: Buffer; cert: Buffer; key: Buffer };
  try {
    files = { ca: input.settings.caCertFile ? readFileSync(input.settings.caCertFile) : undefined, cert: readFileSync(certFile), key: readFileSync(keyFile) };
  } catch (err) {
    throw new LoginUsageError(`cannot read the CA, client certificate or key file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return new Promise<Secret>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      ca: files.ca,
      cert: files.cert,
      key: files.key,
      rejectUnauthorized: !input.settings.skipVerify,
      agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), 'X-Vault-Request': 'true' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          const errors = (json as { errors?: unknown[] } | undefined)?.errors;
          reject(new ApiError('POST', url.toString(), status, Array.isArray(errors) ? errors.map(String) : [text], !Array.isArray(errors)));
          return;
        }
        resolve(json as Secret);
      });
    });
    req.on('error', (err: Error) => reject(new TransportError(`Post "${url.toString()}": ${err.message}`)));
    req.end(body);
  });
}
