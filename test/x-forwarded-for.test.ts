/** Behind a load balancer: X-Forwarded-For is trusted only from configured peers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer } from './support/server.js';
import type { XForwardedForConfig } from '../src/config/types.js';

async function withXff(xff: XForwardedForConfig, run: (call: (headers: Record<string, string>) => Promise<number>, tokenFor: (cidr: string) => Promise<string>) => Promise<void>) {
  const dev = await startDevServer({
    config: { listeners: [{ type: 'tcp', address: '127.0.0.1:0', tlsDisable: true, tlsMinVersion: 'tls12', maxRequestSize: 1 << 20, xForwardedFor: xff }] },
  });
  try {
    const tokenFor = async (cidr: string) => {
      const viaProxy = { 'X-Forwarded-For': '127.0.0.1, 127.0.0.1' };
      const role = await dev.api.call('POST', 'auth/token/roles/bound', { token_bound_cidrs: [cidr] }, viaProxy);
      assert.equal(role.status, 204, role.text);
      const res = await dev.api.call('POST', 'auth/token/create/bound', { policies: ['default'] }, viaProxy);
      assert.equal(res.status, 200, res.text);
      return res.json.auth.client_token as string;
    };
    await run(async (headers) => (await dev.api.call('GET', 'auth/token/lookup-self', undefined, headers)).status, tokenFor);
  } finally {
    await dev.close();
  }
}

test('from an authorized peer the forwarded client address is what bound CIDRs see', async () => {
  await withXff({ authorizedAddrs: ['127.0.0.0/8'], hopSkips: 0, rejectNotAuthorized: true, rejectNotPresent: true }, async (call, tokenFor) => {
    const token = await tokenFor('203.0.113.0/24');
    assert.equal(await call({ 'X-Vault-Token': token, 'X-Forwarded-For': '203.0.113.7' }), 200);
    assert.equal(await call({ 'X-Vault-Token': token, 'X-Forwarded-For': '198.51.100.9' }), 403);
    assert.equal(await call({ 'X-Vault-Token': token }), 400, 'missing header is refused when reject_not_present');
  });
});

test('hop skips pick the address the trusted proxy appended before', async () => {
  await withXff({ authorizedAddrs: ['127.0.0.0/8'], hopSkips: 1, rejectNotAuthorized: true, rejectNotPresent: false }, async (call, tokenFor) => {
    const token = await tokenFor('203.0.113.0/24');
    assert.equal(await call({ 'X-Vault-Token': token, 'X-Forwarded-For': '203.0.113.7, 10.0.0.1' }), 200);
    assert.equal(await call({ 'X-Vault-Token': token, 'X-Forwarded-For': '10.0.0.1' }), 400, 'cannot skip past the first hop');
  });
});

test('a peer outside the authorized addresses is refused when it sends the header', async () => {
  await withXff({ authorizedAddrs: ['10.0.0.0/8'], hopSkips: 0, rejectNotAuthorized: true, rejectNotPresent: false }, async (call) => {
    assert.equal(await call({ 'X-Forwarded-For': '203.0.113.7' }), 400);
  });
});
