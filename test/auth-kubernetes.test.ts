/**
 * Kubernetes auth over HTTP against a real dev server and the TokenReview stand-in (HTTPS with
 * a CA made for the test, real ES256 service-account tokens): a bound service account logs in,
 * the reviewer JWT authorises the review, the audience is passed and checked; unbound names
 * and namespaces are refused before any review, TokenReview's "unauthenticated" (forged,
 * expired, deleted account) is a 403, a wrong CA fails the TLS check; no failure leaves a token.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { commandExists, requireSystem } from './support/requires.js';
import { makeServerCerts } from './support/certs.js';
import { startDevServer, type DevServer, type Api } from './support/server.js';
import { createRequire } from 'node:module';
import { startKubernetesStandin, signServiceAccountJwt } from './standins/kubernetes-standin.js';

const nodeVault = createRequire(import.meta.url)('node-vault') as (options: { endpoint: string; apiVersion?: string }) => Record<string, any>;

const skip = requireSystem('kubernetes auth (TokenReview stand-in certificates)', { install: 'Debian package openssl', present: () => commandExists('openssl') });

let dir: string;
let dev: DevServer;
let api: Api;
let k8s: Awaited<ReturnType<typeof startKubernetesStandin>>;
let reviewerJwt: string;
let app: ReturnType<typeof k8s.createServiceAccount>;

async function accessorCount(): Promise<number> {
  const res = await api.call('LIST', 'auth/token/accessors');
  return (res.json.data.keys as string[]).length;
}

async function refused(body: Record<string, unknown>, status: number, message: string) {
  const before = await accessorCount();
  const res = await api.call('POST', 'auth/kubernetes/login', body, { 'X-Vault-Token': '' });
  assert.equal(res.status, status, res.text);
  assert.ok((res.json.errors as string[]).join('\n').includes(message), res.text);
  assert.equal(await accessorCount(), before);
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'arca-k8s-'));
  k8s = await startKubernetesStandin(dir);
  const reviewer = k8s.createServiceAccount('arca-system', 'arca-reviewer', true);
  reviewerJwt = k8s.token(reviewer);
  app = k8s.createServiceAccount('prod', 'app');
  dev = await startDevServer();
  api = dev.api;
  assert.equal((await api.call('POST', 'sys/auth/kubernetes', { type: 'kubernetes' })).status, 204);
  const cfg = await api.call('POST', 'auth/kubernetes/config', { kubernetes_host: k8s.host, kubernetes_ca_cert: k8s.caPem, token_reviewer_jwt: reviewerJwt, disable_local_ca_jwt: true });
  assert.equal(cfg.status, 204, cfg.text);
  const role = await api.call('POST', 'auth/kubernetes/role/app', {
    bound_service_account_names: 'app,worker-*', bound_service_account_namespaces: 'prod', audience: 'arca', token_policies: 'app-read', token_ttl: '20m',
  });
  assert.equal(role.status, 204, role.text);
});

after(async () => {
  await dev?.close();
  await k8s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('config and role read back; the reviewer JWT is never returned', { skip }, async () => {
  const cfg = await api.call('GET', 'auth/kubernetes/config');
  assert.equal(cfg.json.data.kubernetes_host, k8s.host);
  assert.equal(cfg.json.data.kubernetes_ca_cert, k8s.caPem);
  assert.equal(cfg.json.data.disable_local_ca_jwt, true);
  assert.equal(cfg.text.includes(reviewerJwt), false);
  const role = await api.call('GET', 'auth/kubernetes/role/app');
  assert.deepEqual(role.json.data.bound_service_account_names, ['app', 'worker-*']);
  assert.deepEqual(role.json.data.bound_service_account_namespaces, ['prod']);
  assert.equal(role.json.data.audience, 'arca');
  assert.equal(role.json.data.token_ttl, 1200);
  const both = await api.call('POST', 'auth/kubernetes/role/any', { bound_service_account_names: '*', bound_service_account_namespaces: '*' });
  assert.equal(both.status, 400);
  const badCa = await api.call('POST', 'auth/kubernetes/config', { kubernetes_ca_cert: 'not a certificate' });
  assert.equal(badCa.status, 400);
});

test('a bound service account logs in through TokenReview with the reviewer JWT and audience', { skip }, async () => {
  const before = await accessorCount();
  const res = await api.call('POST', 'auth/kubernetes/login', { role: 'app', jwt: k8s.token(app, { audiences: ['arca'] }) }, { 'X-Vault-Token': '' });
  assert.equal(res.status, 200, res.text);
  const auth = res.json.auth;
  assert.deepEqual(auth.policies, ['app-read', 'default']);
  assert.equal(auth.lease_duration, 1200);
  assert.deepEqual(auth.metadata, { service_account_name: 'app', service_account_namespace: 'prod', service_account_uid: app.uid, service_account_secret_name: '', role: 'app' });
  assert.equal(await accessorCount(), before + 1);
  const review = k8s.reviews[k8s.reviews.length - 1];
  assert.equal(review.bearer, reviewerJwt);
  assert.deepEqual(review.audiences, ['arca']);
  const entity = await api.call('GET', `identity/entity/id/${auth.entity_id}`);
  assert.equal(entity.json.data.aliases[0].name, app.uid);
  const renew = await api.call('POST', 'auth/token/renew-self', {}, { 'X-Vault-Token': auth.client_token });
  assert.equal(renew.status, 200, renew.text);
});

test('glob-bound name logs in', { skip }, async () => {
  const worker = k8s.createServiceAccount('prod', 'worker-7');
  const res = await api.call('POST', 'auth/kubernetes/login', { role: 'app', jwt: k8s.token(worker, { audiences: ['arca'] }) }, { 'X-Vault-Token': '' });
  assert.equal(res.status, 200, res.text);
});

test('unbound service account name or namespace: 403 before any TokenReview, no token', { skip }, async () => {
  const reviews = k8s.reviews.length;
  const other = k8s.createServiceAccount('prod', 'other');
  await refused({ role: 'app', jwt: k8s.token(other, { audiences: ['arca'] }) }, 403, 'service account name not authorized');
  const elsewhere = k8s.createServiceAccount('dev', 'app');
  await refused({ role: 'app', jwt: k8s.token(elsewhere, { audiences: ['arca'] }) }, 403, 'namespace not authorized');
  await refused({ role: 'app', jwt: k8s.token(app, { audiences: ['someone-else'] }) }, 403, 'invalid audience');
  assert.equal(k8s.reviews.length, reviews);
});

test('TokenReview says unauthenticated (forged, expired, deleted account): 403, no token', { skip }, async () => {
  const { privateKey: otherKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const forged = signServiceAccountJwt(otherKey, app, { audiences: ['arca'] });
  await refused({ role: 'app', jwt: forged }, 403, 'lookup failed: service account jwt not valid');
  await refused({ role: 'app', jwt: k8s.token(app, { audiences: ['arca'], expiresInSeconds: -60 }) }, 403, 'lookup failed');
  const gone = k8s.createServiceAccount('prod', 'worker-gone');
  const jwt = k8s.token(gone, { audiences: ['arca'] });
  k8s.deleteServiceAccount(gone);
  await refused({ role: 'app', jwt }, 403, 'lookup failed');
});

test('malformed input: unknown role, missing or non-JWT token: 400', { skip }, async () => {
  await refused({ role: 'nope', jwt: k8s.token(app) }, 400, 'invalid role name');
  await refused({ role: 'app' }, 400, 'missing jwt');
  await refused({ role: 'app', jwt: 'not.a-jwt' }, 400, 'jwt is not a compact JWS');
});

test('the API server certificate is verified against kubernetes_ca_cert', { skip }, async () => {
  const otherDir = mkdtempSync(join(tmpdir(), 'arca-k8s-ca-'));
  try {
    const { readFileSync } = await import('node:fs');
    const wrongCa = readFileSync(makeServerCerts(otherDir).caCert, 'utf8');
    assert.equal((await api.call('POST', 'auth/kubernetes/config', { kubernetes_ca_cert: wrongCa })).status, 204);
    await refused({ role: 'app', jwt: k8s.token(app, { audiences: ['arca'] }) }, 502, 'error calling the TokenReview API');
  } finally {
    assert.equal((await api.call('POST', 'auth/kubernetes/config', { kubernetes_ca_cert: k8s.caPem })).status, 204);
    rmSync(otherDir, { recursive: true, force: true });
  }
});

test('a reviewer without TokenReview rights is reported, not mistaken for a bad login', { skip }, async () => {
  const weak = k8s.createServiceAccount('arca-system', 'weak');
  assert.equal((await api.call('POST', 'auth/kubernetes/config', { token_reviewer_jwt: k8s.token(weak) })).status, 204);
  try {
    await refused({ role: 'app', jwt: k8s.token(app, { audiences: ['arca'] }) }, 502, 'refused the reviewer credentials (status 403)');
  } finally {
    assert.equal((await api.call('POST', 'auth/kubernetes/config', { token_reviewer_jwt: reviewerJwt })).status, 204);
  }
});

test('renewal refuses once the role is gone', { skip }, async () => {
  await api.call('POST', 'auth/kubernetes/role/tmp', { bound_service_account_names: 'app', bound_service_account_namespaces: 'prod' });
  const res = await api.call('POST', 'auth/kubernetes/login', { role: 'tmp', jwt: k8s.token(app) }, { 'X-Vault-Token': '' });
  assert.equal(res.status, 200, res.text);
  assert.equal((await api.call('DELETE', 'auth/kubernetes/role/tmp')).status, 204);
  const renew = await api.call('POST', 'auth/token/renew-self', {}, { 'X-Vault-Token': res.json.auth.client_token });
  assert.equal(renew.status, 400);
  assert.match(renew.json.errors[0], /role no longer exists/);
});

test('node-vault kubernetesLogin works unchanged', { skip }, async () => {
  const client = nodeVault({ endpoint: api.url });
  const res = await client.kubernetesLogin({ mount_point: 'kubernetes', role: 'app', jwt: k8s.token(app, { audiences: ['arca'] }) });
  assert.deepEqual(res.auth.policies, ['app-read', 'default']);
  assert.equal(client.token, res.auth.client_token);
});
