import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { createBackendRegistry } from '../mounts/registry.js';
import { createHarness, SYSTEM_DEFAULT_TTL, SYSTEM_MAX_TTL } from './mount-test-harness.js';
import { authPaths } from './auth.js';
import type { SysContext } from './context.js';

test('sys/auth/* needs sudo; sys/auth itself does not', () => {
  const ctx = { registry: createBackendRegistry() } as unknown as SysContext;
  assert.deepEqual(authPaths(ctx).rootPaths, ['auth/*']);
});

test('sys/auth lists token/ with token_type default-service', async () => {
  const h = await createHarness();
  const data = (await h.call('read', 'auth')).data as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(data), ['token/']);
  assert.equal(data['token/'].type, 'token');
  assert.equal(data['token/'].running_plugin_version, 'v1.19.0+builtin.vault');
  assert.deepEqual(data['token/'].config, { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false, token_type: 'default-service' });
});

test('enable, read, tune and disable an auth method', async () => {
  const h = await createHarness();
  assert.deepEqual(await h.call('update', 'auth/corp/users', {
    type: 'userpass', description: 'people', config: { token_type: 'batch', default_lease_ttl: '10m', listing_visibility: 'unauth' },
  }), {});
  const info = (await h.call('read', 'auth/corp/users')).data!;
  assert.equal(info.type, 'userpass');
  assert.equal(info.deprecation_status, 'supported');
  assert.deepEqual(info.config, { default_lease_ttl: 600, max_lease_ttl: 0, force_no_cache: false, listing_visibility: 'unauth', token_type: 'batch' });
  assert.ok(h.ctx.mounts.route('auth/corp/users/login/x'));

  assert.deepEqual((await h.call('read', 'auth/corp/users/tune')).data, {
    description: 'people', default_lease_ttl: 600, max_lease_ttl: SYSTEM_MAX_TTL, force_no_cache: false,
    token_type: 'batch', listing_visibility: 'unauth',
  });
  await h.call('update', 'auth/corp/users/tune', { token_type: 'default-batch', max_lease_ttl: '1h' });
  // The same method is tunable through sys/mounts/auth/<path>/tune.
  await h.call('update', 'mounts/auth/corp/users/tune', { description: 'staff' });
  const tuned = (await h.call('read', 'mounts/auth/corp/users/tune')).data!;
  assert.equal(tuned.token_type, 'default-batch');
  assert.equal(tuned.max_lease_ttl, 3600);
  assert.equal(tuned.description, 'staff');
  assert.equal((await h.storedTable('auth')).find((e) => e.path === 'corp/users/')!.config.tokenType, 'default-batch');

  await assert.rejects(h.call('update', 'auth/corp/users/tune', { token_type: 'forever' }), { message: "invalid value for 'token_type'" });
  await h.engine('update', 'auth/corp/users/k', { value: 'v' });
  const { uuid } = h.ctx.mounts.find('auth', 'corp/users/')!.entry;
  assert.deepEqual(await h.storedKeys(`auth/${uuid}/`), ['k']);
  assert.deepEqual(await h.call('delete', 'auth/corp/users'), {});
  assert.deepEqual(await h.storedKeys(`auth/${uuid}/`), []);
  assert.deepEqual(h.revokedPrefixes, ['auth/corp/users/']);
  assert.equal(h.ctx.mounts.find('auth', 'corp/users/'), undefined);
  await h.call('update', 'auth/corp/users', { type: 'userpass' });
  assert.deepEqual(await h.engine('read', 'auth/corp/users/k'), {});
});

test('the token method cannot be enabled again, disabled, or given a token_type', async () => {
  const h = await createHarness();
  await assert.rejects(h.call('update', 'auth/token2', { type: 'token' }), { name: 'InvalidRequest', message: 'token credential backend cannot be instantiated' });
  await assert.rejects(h.call('delete', 'auth/token'), { name: 'InvalidRequest', message: 'token credential backend cannot be disabled' });
  await assert.rejects(h.call('update', 'auth/token/tune', { token_type: 'batch' }), InvalidRequest);
  assert.equal((await h.call('read', 'auth/token/tune')).data!.default_lease_ttl, SYSTEM_DEFAULT_TTL);
  assert.ok(h.ctx.mounts.find('auth', 'token/'));
  assert.equal(h.ctx.mounts.find('auth', 'token2/'), undefined);
});

test('bad auth enables are 400 and change nothing', async () => {
  const h = await createHarness();
  const before = JSON.stringify(await h.storedTable('auth'));
  await assert.rejects(h.call('update', 'auth/up', {}), { message: 'backend type must be specified as a string' });
  await assert.rejects(h.call('update', 'auth/up', { type: 'kv' }), /plugin not found in the catalog/);
  await assert.rejects(h.call('update', 'auth/up', { type: 'userpass', options: { version: '2' } }), { message: 'auth methods do not allow setting a version' });
  await assert.rejects(h.call('update', 'auth/up', { type: 'userpass', config: { token_type: 'sometimes' } }), { message: "invalid value for 'token_type'" });
  await h.call('update', 'auth/up', { type: 'userpass' });
  await assert.rejects(h.call('update', 'auth/up', { type: 'approle' }), { message: 'path is already in use at auth/up/' });
  await assert.rejects(h.call('update', 'auth/token/sub', { type: 'approle' }), /path is already in use at auth\/token\//);
  const after = await h.storedTable('auth');
  assert.deepEqual(after.map((e) => e.path).sort(), ['token/', 'up/']);
  assert.notEqual(JSON.stringify(after), before);
});

test('disabling an auth method that is not there is a silent success; reading one is a 400', async () => {
  const h = await createHarness();
  assert.deepEqual(await h.call('delete', 'auth/ghost'), {});
  await assert.rejects(h.call('read', 'auth/ghost'), { name: 'InvalidRequest', message: 'No auth engine at this path' });
});
