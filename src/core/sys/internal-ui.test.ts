import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermissionDenied } from '../../errors.js';
import { createBackendRegistry } from '../mounts/registry.js';
import type { SysContext } from './context.js';
import { internalUiPaths } from './internal-ui.js';
import { createHarness } from './mount-test-harness.js';

const PREFLIGHT = /^preflight capability check returned 403/;

test('the internal UI paths are unauthenticated in the backend (the handler checks the token)', () => {
  const ctx = { registry: createBackendRegistry() } as unknown as SysContext;
  assert.deepEqual(internalUiPaths(ctx).unauthenticatedPaths, ['internal/ui/mounts', 'internal/ui/mounts/*']);
});

test('internal/ui/mounts/<path> reports the serving mount, its KV version and its path', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/secret', { type: 'kv-v2' });
  const res = await h.call('read', 'internal/ui/mounts/secret');
  assert.equal(res.data!.path, 'secret/');
  assert.equal(res.data!.type, 'kv');
  assert.deepEqual(res.data!.options, { version: '2' });
  assert.equal(typeof res.data!.accessor, 'string');
  assert.deepEqual(res.data!.config, { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false });
  // Deep paths resolve to the mount that serves them.
  assert.equal((await h.call('read', 'internal/ui/mounts/secret/a/b/c')).data!.path, 'secret/');
  // Auth mounts are reported with their table-relative path, as Vault does.
  await h.call('update', 'auth/up', { type: 'userpass' });
  const auth = await h.call('read', 'internal/ui/mounts/auth/up/login/x');
  assert.equal(auth.data!.path, 'up/');
  assert.equal(auth.data!.type, 'userpass');
});

test('internal/ui/mounts/<path>: no mount, no token or a bad token are 403', async () => {
  const h = await createHarness();
  await assert.rejects(h.call('read', 'internal/ui/mounts/nothing/here'), (err: Error) => err instanceof PermissionDenied && PREFLIGHT.test(err.message));
  await assert.rejects(h.call('read', 'internal/ui/mounts/sys', {}, ''), PermissionDenied);
  await assert.rejects(h.call('read', 'internal/ui/mounts/sys', {}, 'hvs.not-a-token'), PermissionDenied);
});

test('internal/ui/mounts/<path> needs no policy on sys/: any capability inside the mount is enough', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/secret', { type: 'kv-v2' });
  await h.call('update', 'mounts/other', { type: 'kv' });
  await h.setPolicy('reader', 'path "secret/data/app/*" { capabilities = ["read"] }');
  const token = await h.token(['reader']);
  assert.equal((await h.call('read', 'internal/ui/mounts/secret/app/x', {}, token)).data!.path, 'secret/');
  await assert.rejects(h.call('read', 'internal/ui/mounts/other', {}, token), (err: Error) => err instanceof PermissionDenied && PREFLIGHT.test(err.message));
  await h.setPolicy('denied', 'path "secret/*" { capabilities = ["deny"] }');
  const deniedToken = await h.token(['denied']);
  await assert.rejects(h.call('read', 'internal/ui/mounts/secret', {}, deniedToken), PermissionDenied);
});

test('internal/ui/mounts lists what the caller may see; without a token only unauth-visible mounts, reduced', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/secret', { type: 'kv-v2' });
  await h.call('update', 'mounts/public', { type: 'kv', description: 'open', config: { listing_visibility: 'unauth' } });
  await h.call('update', 'auth/up', { type: 'userpass', config: { listing_visibility: 'unauth' } });

  const root = (await h.call('read', 'internal/ui/mounts')).data as { secret: Record<string, Record<string, unknown>>; auth: Record<string, unknown> };
  assert.deepEqual(Object.keys(root.secret).sort(), ['cubbyhole/', 'identity/', 'public/', 'secret/', 'sys/']);
  assert.deepEqual(Object.keys(root.auth).sort(), ['token/', 'up/']);
  assert.equal(root.secret['secret/'].accessor !== undefined, true);

  const anon = (await h.call('read', 'internal/ui/mounts', {}, '')).data;
  assert.deepEqual(anon, {
    secret: { 'public/': { type: 'kv', description: 'open', options: null } },
    auth: { 'up/': { type: 'userpass', description: '', options: null } },
  });

  await h.setPolicy('reader', 'path "secret/data/*" { capabilities = ["read", "list"] }');
  const token = await h.token(['reader']);
  const scoped = (await h.call('read', 'internal/ui/mounts', {}, token)).data as { secret: Record<string, unknown>; auth: Record<string, unknown> };
  assert.deepEqual(Object.keys(scoped.secret).sort(), ['public/', 'secret/']);
  assert.deepEqual(Object.keys(scoped.auth), ['up/']);

  await assert.rejects(h.call('read', 'internal/ui/mounts', {}, 'hvs.bogus'), PermissionDenied);
});
