/** Capabilities views include what a token's identity groups grant, as the ACL check does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer, apiClient } from './support/server.js';

test('sys/capabilities-self and sys/capabilities count identity group policies', async () => {
  const dev = await startDevServer();
  try {
    const api = dev.api;
    assert.equal((await api.call('PUT', 'sys/policies/acl/grp-read', { policy: 'path "secret/data/x" { capabilities = ["read"] }' })).status, 204);
    assert.equal((await api.call('POST', 'sys/auth/userpass', { type: 'userpass' })).status, 204);
    assert.equal((await api.call('POST', 'auth/userpass/users/ann', { password: 'correct horse battery' })).status, 204);
    const login = await api.call('POST', 'auth/userpass/login/ann', { password: 'correct horse battery' });
    assert.equal(login.status, 200, login.text);
    const token = login.json.auth.client_token as string;
    const entityId = login.json.auth.entity_id as string;
    assert.ok(entityId);
    const user = apiClient(api.url, token);
    const before = await user.call('POST', 'sys/capabilities-self', { paths: ['secret/data/x'] });
    assert.deepEqual(before.json.data.capabilities, ['deny']);
    const group = await api.call('POST', 'identity/group', { name: 'readers', policies: ['grp-read'], member_entity_ids: [entityId] });
    assert.ok(group.status === 200 || group.status === 204, group.text);
    assert.equal((await user.call('POST', 'secret/data/x', { data: { a: 1 } })).status, 403);
    await api.call('POST', 'secret/data/x', { data: { a: 1 } });
    assert.equal((await user.call('GET', 'secret/data/x')).status, 200, 'the group grants read');
    const self = await user.call('POST', 'sys/capabilities-self', { paths: ['secret/data/x'] });
    assert.deepEqual(self.json.data.capabilities, ['read']);
    const other = await api.call('POST', 'sys/capabilities', { token, paths: ['secret/data/x'] });
    assert.deepEqual(other.json.data.capabilities, ['read']);
  } finally {
    await dev.close();
  }
});
