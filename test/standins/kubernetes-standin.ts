/**
 * A Kubernetes API server stand-in for tests (no cluster is reachable from here): the
 * TokenReview call only — POST /apis/authentication.k8s.io/v1/tokenreviews over HTTPS with a
 * certificate from a CA made for the test, the caller authenticated by a Bearer service-account
 * token that must be allowed to create TokenReviews (system:auth-delegator), 401/403 as
 * metav1.Status otherwise. It issues service-account JWTs the way the API server does
 * (ES256-signed, projected-token claims) and reviews them for real: signature, expiry,
 * audiences, deleted service accounts. Answers 201 with the TokenReview status. Listens on
 * 127.0.0.1:0.
 */
import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { makeServerCerts } from '../support/certs.js';

export const DEFAULT_API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

interface ServiceAccount { namespace: string; name: string; uid: string }

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function signServiceAccountJwt(key: KeyObject, sa: ServiceAccount, opts: { audiences?: string[]; expiresInSeconds?: number; kid?: string } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url({ alg: 'ES256', kid: opts.kid ?? 'standin-key' });
  const payload = b64url({
    aud: opts.audiences ?? [DEFAULT_API_AUDIENCE],
    exp: now + (opts.expiresInSeconds ?? 3600),
    iat: now - 5, nbf: now - 5,
    iss: ISSUER,
    'kubernetes.io': { namespace: sa.namespace, serviceaccount: { name: sa.name, uid: sa.uid } },
    sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

export async function startKubernetesStandin(dir: string) {
  const certs = makeServerCerts(dir);
  const caPem = readFileSync(certs.caCert, 'utf8');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const accounts = new Map<string, ServiceAccount>(); // uid → account (deleting it revokes its tokens)
  const reviewers = new Set<string>(); // uids allowed to create TokenReviews
  const reviews: { bearer: string; audiences?: string[] }[] = [];

  /** The API server's own token authenticator. */
  function authenticate(token: string, audiences: string[]): { sa?: ServiceAccount; audiences: string[]; error?: string } {
    const parts = token.split('.');
    if (parts.length !== 3) return { audiences: [], error: 'invalid bearer token' };
    const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
    if (!ok) return { audiences: [], error: '[invalid bearer token, square/go-jose: error in cryptographic primitive]' };
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return { audiences: [], error: '[invalid bearer token, Token has expired.]' };
    const tokenAud: string[] = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const wanted = audiences.length ? audiences : [DEFAULT_API_AUDIENCE];
    const matched = wanted.filter((a) => tokenAud.includes(a));
    if (matched.length === 0) return { audiences: [], error: '[invalid bearer token, token audiences do not intersect with the requested audiences]' };
    const sa = accounts.get(claims['kubernetes.io']?.serviceaccount?.uid);
    if (!sa) return { audiences: [], error: '[invalid bearer token, service account has been deleted]' };
    return { sa, audiences: matched };
  }

  function send(res: ServerResponse, status: number, body: unknown) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }
  const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

  function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    if (req.method !== 'POST' || req.url !== '/apis/authentication.k8s.io/v1/tokenreviews') return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const caller = authenticate(bearer, []);
    if (!caller.sa) return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    if (!reviewers.has(caller.sa.uid)) {
      return send(res, 403, status(403, 'Forbidden', `tokenreviews.authentication.k8s.io is forbidden: User "system:serviceaccount:${caller.sa.namespace}:${caller.sa.name}" cannot create resource "tokenreviews"`));
    }
    let review: any;
    try { review = JSON.parse(body); } catch { return send(res, 400, status(400, 'BadRequest', 'invalid JSON')); }
    if (review?.apiVersion !== 'authentication.k8s.io/v1' || review?.kind !== 'TokenReview' || typeof review?.spec?.token !== 'string') {
      return send(res, 400, status(400, 'BadRequest', 'expected a TokenReview'));
    }
    const audiences: string[] = Array.isArray(review.spec.audiences) ? review.spec.audiences : [];
    reviews.push({ bearer, audiences: review.spec.audiences });
    const result = authenticate(review.spec.token, audiences);
    const statusBlock = result.sa
      ? {
        authenticated: true,
        user: {
          username: `system:serviceaccount:${result.sa.namespace}:${result.sa.name}`, uid: result.sa.uid,
          groups: ['system:serviceaccounts', `system:serviceaccounts:${result.sa.namespace}`, 'system:authenticated'],
        },
        audiences: result.audiences,
      }
      : { user: {}, error: result.error };
    send(res, 201, { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec: review.spec, status: statusBlock });
  }

  const server: Server = createServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: `https://127.0.0.1:${port}`,
    caPem,
    reviews,
    /** Creates a service account; `canReview` grants it system:auth-delegator. */
    createServiceAccount(namespace: string, name: string, canReview = false): ServiceAccount {
      const sa = { namespace, name, uid: randomUUID() };
      accounts.set(sa.uid, sa);
      if (canReview) reviewers.add(sa.uid);
      return sa;
    },
    deleteServiceAccount(sa: ServiceAccount) { accounts.delete(sa.uid); },
    token: (sa: ServiceAccount, opts?: { audiences?: string[]; expiresInSeconds?: number }) => signServiceAccountJwt(privateKey, sa, opts),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
