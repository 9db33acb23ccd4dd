/**
 * A user lockout outlives a restart: the lock is stored (core/login/lockedUsers/), not only
 * counted in memory, so restarting a node (or failing over) does not hand an attacker fresh tries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient } from './support/api.js';
import { startDurableServer } from './support/server.js';

test('a locked userpass user stays locked across a restart until unlocked', async () => {
  let node = await startDurableServer();
  const { dataDir } = node;
  try {
    const init = await node.api.call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
    const key = init.json.keys[0];
    const root = init.json.root_token;
    await node.api.call('PUT', 'sys/unseal', { key });
    node.api.token = root;
    assert.equal((await node.api.call('POST', 'sys/auth/userpass', { type: 'userpass' })).status, 204);
    assert.equal((await node.api.call('POST', 'auth/userpass/users/erin', { password: 'erin-password' })).status, 204);
    const anon = () => apiClient(node.api.url);
    for (let i = 0; i < 5; i++) assert.equal((await anon().call('POST', 'auth/userpass/login/erin', { password: 'wrong' })).status, 400);
    assert.equal((await anon().call('POST', 'auth/userpass/login/erin', { password: 'erin-password' })).status, 403);

    await node.close();
    node = await startDurableServer(dataDir);
    await node.api.call('PUT', 'sys/unseal', { key });
    node.api.token = root;
    assert.equal((await anon().call('POST', 'auth/userpass/login/erin', { password: 'erin-password' })).status, 403, 'still locked after the restart');
    const listed = (await node.api.call('GET', 'sys/locked-users')).json.data;
    assert.equal(listed.total, 1);
    const accessor = listed.by_namespace[0].mount_accessors[0].mount_accessor;
    assert.equal((await node.api.call('POST', `sys/locked-users/${accessor}/unlock/erin`)).status, 204);
    assert.equal((await anon().call('POST', 'auth/userpass/login/erin', { password: 'erin-password' })).status, 200);
  } finally {
    await node.close();
  }
});
