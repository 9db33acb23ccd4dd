/**
 * Opt-in: GitHub auth against the real GitHub API. Runs only with ARCA_LIVE_GITHUB_TOKEN (a
 * personal access token with read:org) and ARCA_LIVE_GITHUB_ORG (an organization the token's
 * user belongs to); ARCA_LIVE_GITHUB_BASE_URL points it at GitHub Enterprise. Otherwise it skips
 * with one line, under CI=true too (no credentials there by design).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer } from './support/server.js';

const token = process.env.ARCA_LIVE_GITHUB_TOKEN ?? '';
const org = process.env.ARCA_LIVE_GITHUB_ORG ?? '';
const skip = token && org ? false : 'auth-github live: skipped, set ARCA_LIVE_GITHUB_TOKEN and ARCA_LIVE_GITHUB_ORG to run against the real GitHub API (skips under CI too)';
if (skip) console.log(skip);

test('login with a real personal access token', { skip }, async () => {
  const dev = await startDevServer();
  try {
    const { api } = dev;
    assert.equal((await api.call('POST', 'sys/auth/github', { type: 'github' })).status, 204);
    const cfg = await api.call('POST', 'auth/github/config', { organization: org, base_url: process.env.ARCA_LIVE_GITHUB_BASE_URL ?? '' });
    assert.equal(cfg.status, 204, cfg.text);
    assert.ok((await api.call('GET', 'auth/github/config')).json.data.organization_id > 0);
    const res = await api.call('POST', 'auth/github/login', { token }, { 'X-Vault-Token': '' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.auth.metadata.org.toLowerCase(), org.toLowerCase());
    assert.ok(res.json.auth.metadata.username);
    const bad = await api.call('POST', 'auth/github/login', { token: 'ghp_' + 'x'.repeat(36) }, { 'X-Vault-Token': '' });
    assert.equal(bad.status, 400);
  } finally {
    await dev.close();
  }
});
