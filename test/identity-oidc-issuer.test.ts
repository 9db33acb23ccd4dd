/** Without an issuer configured, identity tokens name this server's API address (api_addr, else the bound listener). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer } from './support/server.js';

test('the default issuer is the server address + /v1/identity/oidc', async () => {
  const s = await startDevServer();
  try {
    const discovery = await s.api.call('GET', 'identity/oidc/.well-known/openid-configuration', undefined, { 'X-Vault-Token': '' });
    assert.equal(discovery.status, 200);
    assert.equal(discovery.json.issuer, `${s.api.url}/v1/identity/oidc`);
  } finally {
    await s.close();
  }
});
