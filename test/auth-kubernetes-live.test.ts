/**
 * Opt-in: Kubernetes auth against a real cluster's TokenReview API. Runs only with
 * ARCA_LIVE_K8S_HOST, ARCA_LIVE_K8S_CA_CERT (a PEM file), ARCA_LIVE_K8S_REVIEWER_JWT (a token of
 * a service account bound to system:auth-delegator), ARCA_LIVE_K8S_JWT (the service-account
 * token to log in with) and ARCA_LIVE_K8S_NAMESPACE / ARCA_LIVE_K8S_SERVICE_ACCOUNT (its
 * namespace and name); otherwise it skips with one line, under CI=true too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startDevServer } from './support/server.js';

const env = (name: string) => process.env[name] ?? '';
const names = ['ARCA_LIVE_K8S_HOST', 'ARCA_LIVE_K8S_CA_CERT', 'ARCA_LIVE_K8S_REVIEWER_JWT', 'ARCA_LIVE_K8S_JWT', 'ARCA_LIVE_K8S_NAMESPACE', 'ARCA_LIVE_K8S_SERVICE_ACCOUNT'];
const skip = names.every((n) => env(n) !== '') ? false
  : `auth-kubernetes live: skipped, set ${names.join(', ')} to run against a real cluster (skips under CI too)`;
if (skip) console.log(skip);

test('login with a real service-account token through TokenReview', { skip }, async () => {
  const dev = await startDevServer();
  try {
    const { api } = dev;
    assert.equal((await api.call('POST', 'sys/auth/kubernetes', { type: 'kubernetes' })).status, 204);
    const cfg = await api.call('POST', 'auth/kubernetes/config', {
      kubernetes_host: env('ARCA_LIVE_K8S_HOST'), kubernetes_ca_cert: readFileSync(env('ARCA_LIVE_K8S_CA_CERT'), 'utf8'),
      token_reviewer_jwt: env('ARCA_LIVE_K8S_REVIEWER_JWT'), disable_local_ca_jwt: true,
    });
    assert.equal(cfg.status, 204, cfg.text);
    await api.call('POST', 'auth/kubernetes/role/live', { bound_service_account_names: env('ARCA_LIVE_K8S_SERVICE_ACCOUNT'), bound_service_account_namespaces: env('ARCA_LIVE_K8S_NAMESPACE') });
    const res = await api.call('POST', 'auth/kubernetes/login', { role: 'live', jwt: env('ARCA_LIVE_K8S_JWT') }, { 'X-Vault-Token': '' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.auth.metadata.service_account_name, env('ARCA_LIVE_K8S_SERVICE_ACCOUNT'));
    await api.call('POST', 'auth/kubernetes/role/other', { bound_service_account_names: 'no-such-account', bound_service_account_namespaces: env('ARCA_LIVE_K8S_NAMESPACE') });
    const refused = await api.call('POST', 'auth/kubernetes/login', { role: 'other', jwt: env('ARCA_LIVE_K8S_JWT') }, { 'X-Vault-Token': '' });
    assert.equal(refused.status, 403);
  } finally {
    await dev.close();
  }
});
