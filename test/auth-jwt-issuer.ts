/**
 * A local OIDC issuer for the JWT/OIDC tests (node:http on 127.0.0.1:0): discovery, a JWKS that
 * can be rotated, and a token endpoint that redeems codes (checking PKCE and client secret)
 * for ID tokens signed with real RS256, ES256 or EdDSA keys made by jose.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK, type CryptoKey } from 'jose';

export interface Key { kid: string; alg: string; privateKey: CryptoKey; jwk: JWK; pem: string }

export async function makeKey(alg: 'RS256' | 'ES256' | 'EdDSA', kid: string): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, jwk, pem: await exportSPKI(publicKey) };
}

/** The local issuer: discovery, JWKS (mutable for rotation), and a code → id_token endpoint with PKCE. */
export interface Issuer {
  url: string;
  keys: Key[];
  signing: Key;
  codes: Map<string, { challenge: string; nonce: string; claims: Record<string, unknown> }>;
  tokenRequests: number;
  close(): Promise<void>;
}

export async function startIssuer(keys: Key[]): Promise<Issuer> {
  const issuer = { keys, signing: keys[0], codes: new Map(), tokenRequests: 0 } as unknown as Issuer;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
      const url = new URL(req.url ?? '/', issuer.url);
      if (url.pathname === '/.well-known/openid-configuration') {
        send(200, { issuer: issuer.url, jwks_uri: `${issuer.url}/jwks`, authorization_endpoint: `${issuer.url}/authorize`, token_endpoint: `${issuer.url}/token`, id_token_signing_alg_values_supported: ['RS256', 'ES256', 'EdDSA'] });
      } else if (url.pathname === '/jwks') {
        send(200, { keys: issuer.keys.map((k) => k.jwk) });
      } else if (url.pathname === '/token' && req.method === 'POST') {
        issuer.tokenRequests++;
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const auth = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
        const code = issuer.codes.get(form.get('code') ?? '');
        issuer.codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challengeOk = code && createHash('sha256').update(verifier).digest('base64url') === code.challenge;
        if (auth !== 'arca-client:client-secret' || !code || !challengeOk || form.get('grant_type') !== 'authorization_code') {
          send(400, { error: 'invalid_grant' });
          return;
        }
        void sign(issuer, { aud: 'arca-client', nonce: code.nonce, ...code.claims }).then((idToken) => send(200, { access_token: 'at', token_type: 'Bearer', id_token: idToken }));
      } else {
        send(404, { error: 'not found' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer.close = () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  return issuer;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function sign(issuer: Pick<Issuer, 'url' | 'signing'>, claims: Record<string, unknown>, key: Key = issuer.signing): Promise<string> {
  return new SignJWT({ iss: issuer.url, sub: 'alice', iat: nowSeconds(), exp: nowSeconds() + 300, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}
