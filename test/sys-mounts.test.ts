/**
 * sys/mounts, sys/auth, sys/remount and sys/internal/ui/mounts over HTTP against a real dev
 * server. Engine types the server does not register yet (kv before the KV engine is wired,
 * userpass) are stood in for by a tiny key/value fixture backend registered through the
 * server's own registry, so these tests pin the sys/ wire shapes, not any engine.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { path } from '../src/framework/path.js';
import type { Backend } from '../src/framework/backend.js';
import type { BackendContext } from '../src/core/mounts/registry.js';
import { startDevServer, type ApiResponse, type DevServer } from './support/server.js';

let server: DevServer;

const FIXTURE_FIELDS = { key: { type: 'string', required: true }, value: { type: 'string' } } as const;

/** Stand-in key/value backend over the mount's own storage. */
function fixtureBackend(ctx: BackendContext): Backend {
  return {
    paths: [path({
      pattern: ':key*',
      fields: FIXTURE_FIELDS,
      operations: {
        read: async (_req, data) => {
          const raw = await ctx.storage.get(data.key);
          return raw ? { data: { value: raw.toString('utf8') } } : undefined;
        },
        update: async (_req, data) => { await ctx.storage.put(data.key, Buffer.from(data.value ?? '')); },
      },
    })],
  };
}

const call = (method: string, p: string, body?: unknown, token?: string): Promise<ApiResponse> => {
  const saved = server.api.token;
  if (token !== undefined) server.api.token = token;
  try {
    return server.api.call(method, p, body);
  } finally {
    server.api.token = saved;
  }
};

function expectStatus(res: ApiResponse, status: number): void {
  assert.equal(res.status, status, `${res.status} ${res.text}`);
}

async function tokenWith(policies: string[]): Promise<string> {
  const { id } = await server.server.composed.core.tokens.create({
    parent: '', policies, path: 'auth/token/create', displayName: 'sys-mounts-test', ttl: 3600, renewable: false,
  });
  return id;
}

async function mountTable(): Promise<Record<string, any>> {
  const res = await call('GET', 'sys/mounts');
  expectStatus(res, 200);
  return res.json.data;
}

describe('sys/mounts over HTTP', () => {
  before(async () => {
    server = await startDevServer();
    const { registry } = server.server.composed;
    for (const [table, type] of [['mounts', 'kv'], ['mounts', 'transit'], ['auth', 'userpass']] as const) {
      if (!registry.has(table, type)) registry.register(table, type, fixtureBackend);
    }
    if (!server.server.composed.mounts.find('mounts', 'secret/')) {
      expectStatus(await call('POST', 'sys/mounts/secret', { type: 'kv-v2' }), 204);
    }
  });
  after(async () => { await server?.close(); });

  it('lists mounts with data keys also at the top level', async () => {
    const res = await call('GET', 'sys/mounts');
    expectStatus(res, 200);
    for (const key of ['sys/', 'cubbyhole/', 'identity/', 'secret/']) {
      assert.ok(res.json.data[key], key);
      assert.deepEqual(res.json[key], res.json.data[key], key);
    }
    const sys = res.json.data['sys/'];
    assert.equal(sys.type, 'system');
    assert.equal(sys.options, null);
    assert.equal(sys.running_plugin_version, 'v1.19.0+builtin.vault');
    assert.deepEqual(sys.config, { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false });
    assert.deepEqual(res.json.data['secret/'].options, { version: '2' });
  });

  it('enable → read → tune → disable round trip; disabling deletes the data', async () => {
    expectStatus(await call('POST', 'sys/mounts/rt', { type: 'kv', description: 'round trip', config: { default_lease_ttl: '1h' } }), 204);
    const one = await call('GET', 'sys/mounts/rt');
    expectStatus(one, 200);
    assert.equal(one.json.data.description, 'round trip');
    assert.equal(one.json.data.config.default_lease_ttl, 3600);
    assert.equal(one.json.description, 'round trip'); // injected at the top level too
    assert.equal(one.json.data.deprecation_status, 'supported');

    expectStatus(await call('POST', 'sys/mounts/rt/tune', { max_lease_ttl: '2h', description: 'tuned' }), 204);
    const tune = await call('GET', 'sys/mounts/rt/tune');
    expectStatus(tune, 200);
    assert.equal(tune.json.data.default_lease_ttl, 3600);
    assert.equal(tune.json.data.max_lease_ttl, 7200);
    assert.equal(tune.json.data.description, 'tuned');

    expectStatus(await call('PUT', 'rt/item', { value: 'v' }), 204);
    assert.equal((await call('GET', 'rt/item')).json.data.value, 'v');
    expectStatus(await call('DELETE', 'sys/mounts/rt'), 204);
    assert.equal((await mountTable())['rt/'], undefined);
    expectStatus(await call('GET', 'rt/item'), 404);
    expectStatus(await call('POST', 'sys/mounts/rt', { type: 'kv' }), 204);
    expectStatus(await call('GET', 'rt/item'), 404);
    expectStatus(await call('DELETE', 'sys/mounts/rt'), 204);
    // Disabling nothing is still 204.
    expectStatus(await call('DELETE', 'sys/mounts/rt'), 204);
  });

  it('conflicts, reserved paths, unknown types and version rules are 400 and change nothing', async () => {
    const before = JSON.stringify(await mountTable());
    const conflict = await call('POST', 'sys/mounts/secret', { type: 'kv' });
    expectStatus(conflict, 400);
    assert.deepEqual(conflict.json.errors, ['path is already in use at secret/']);
    expectStatus(await call('POST', 'sys/mounts/secret/inner', { type: 'kv' }), 400);
    for (const reserved of ['sys/x', 'cubbyhole/x', 'identity', 'auth/x', 'audit/x']) {
      expectStatus(await call('POST', `sys/mounts/${reserved}`, { type: 'kv' }), 400);
    }
    const unknown = await call('POST', 'sys/mounts/u', { type: 'no-such-engine' });
    expectStatus(unknown, 400);
    assert.match(unknown.json.errors[0], /plugin not found in the catalog/);
    expectStatus(await call('POST', 'sys/mounts/u', {}), 400);
    expectStatus(await call('POST', 'sys/mounts/u', { type: 'transit', options: { version: '2' } }), 400);
    expectStatus(await call('POST', 'sys/mounts/u', { type: 'kv', config: { default_lease_ttl: 'never' } }), 400);
    expectStatus(await call('POST', 'sys/mounts/u', { type: 'kv', config: { default_lease_ttl: '2h', max_lease_ttl: '1h' } }), 400);
    expectStatus(await call('POST', 'sys/mounts/secret/tune', { options: { version: '1' } }), 400);
    expectStatus(await call('POST', 'sys/mounts/secret/tune', { options: { version: '7' } }), 400);
    expectStatus(await call('POST', 'sys/mounts/secret/tune', { default_lease_ttl: '2h', max_lease_ttl: '1h' }), 400);
    expectStatus(await call('POST', 'sys/mounts/sys/tune', { default_lease_ttl: '1h' }), 400);
    expectStatus(await call('DELETE', 'sys/mounts/sys'), 400);
    expectStatus(await call('GET', 'sys/mounts/none/tune'), 400);
    assert.equal(JSON.stringify(await mountTable()), before);
  });

  it('tune upgrades KV v1 to v2 and refuses the way back', async () => {
    expectStatus(await call('POST', 'sys/mounts/legacy', { type: 'kv-v1' }), 204);
    const up = await call('POST', 'sys/mounts/legacy/tune', { options: { version: '2' } });
    expectStatus(up, 200);
    assert.match(up.json.warnings[0], /^Upgrading mount from version 1 to version 2/);
    assert.deepEqual((await call('GET', 'sys/mounts/legacy/tune')).json.data.options, { version: '2' });
    const down = await call('POST', 'sys/mounts/legacy/tune', { options: { version: '1' } });
    expectStatus(down, 400);
    assert.deepEqual(down.json.errors, ['cannot downgrade mount from version 2']);
  });

  it('remount moves a mount and keeps its data; sys/remount/status reports success', async () => {
    expectStatus(await call('POST', 'sys/mounts/from-here', { type: 'kv' }), 204);
    expectStatus(await call('PUT', 'from-here/k', { value: 'moved' }), 204);
    const res = await call('POST', 'sys/remount', { from: 'from-here', to: 'to-there' });
    expectStatus(res, 200);
    const id = res.json.data.migration_id;
    assert.equal(res.json.migration_id, id); // injected at the top level
    const table = await mountTable();
    assert.equal(table['from-here/'], undefined);
    assert.equal(table['to-there/'].type, 'kv');
    assert.equal((await call('GET', 'to-there/k')).json.data.value, 'moved');
    const status = await call('GET', `sys/remount/status/${id}`);
    expectStatus(status, 200);
    assert.deepEqual(status.json.data.migration_info, { source_mount: 'from-here/', target_mount: 'to-there/', status: 'success' });
    expectStatus(await call('POST', 'sys/remount', { from: 'to-there', to: 'secret' }), 400);
    expectStatus(await call('POST', 'sys/remount', { from: 'sys', to: 'system' }), 400);
  });

  it('sys/internal/ui/mounts/secret reports KV version 2 and the mount path', async () => {
    const res = await call('GET', 'sys/internal/ui/mounts/secret/deep/path');
    expectStatus(res, 200);
    assert.equal(res.json.data.path, 'secret/');
    assert.equal(res.json.data.type, 'kv');
    assert.equal(res.json.data.options.version, '2');
    const none = await call('GET', 'sys/internal/ui/mounts/not-mounted/x');
    expectStatus(none, 403);
    assert.match(none.json.errors[0], /^preflight capability check returned 403/);
    expectStatus(await call('GET', 'sys/internal/ui/mounts/secret', undefined, ''), 403);
  });

  it('sys/internal/ui/mounts needs no sys/ policy: a token that can read inside secret/ may ask', async () => {
    expectStatus(await call('PUT', 'sys/policies/acl/app-reader', { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' }), 204);
    const token = await tokenWith(['app-reader']);
    // The token is refused on sys/mounts itself ...
    expectStatus(await call('GET', 'sys/mounts', undefined, token), 403);
    // ... but may detect the KV version of the mount it can read in.
    const res = await call('GET', 'sys/internal/ui/mounts/secret/app/config', undefined, token);
    expectStatus(res, 200);
    assert.equal(res.json.data.options.version, '2');
    expectStatus(await call('GET', 'sys/internal/ui/mounts/cubbyhole', undefined, token), 403);
    const list = await call('GET', 'sys/internal/ui/mounts', undefined, token);
    expectStatus(list, 200);
    assert.deepEqual(Object.keys(list.json.data.secret), ['secret/']);
    const anonymous = await call('GET', 'sys/internal/ui/mounts', undefined, '');
    expectStatus(anonymous, 200);
    assert.deepEqual(anonymous.json.data, { secret: {}, auth: {} });
  });
});

describe('sys/auth over HTTP', () => {
  before(async () => {
    server = await startDevServer();
    const { registry } = server.server.composed;
    if (!registry.has('auth', 'userpass')) registry.register('auth', 'userpass', fixtureBackend);
  });
  after(async () => { await server?.close(); });

  it('lists token/ with default-service tokens, at the top level too', async () => {
    const res = await call('GET', 'sys/auth');
    expectStatus(res, 200);
    assert.equal(res.json.data['token/'].type, 'token');
    assert.equal(res.json.data['token/'].config.token_type, 'default-service');
    assert.deepEqual(res.json['token/'], res.json.data['token/']);
  });

  it('enable → read → tune (both routes) → remount → disable', async () => {
    expectStatus(await call('POST', 'sys/auth/people', { type: 'userpass', config: { token_type: 'batch' } }), 204);
    const one = await call('GET', 'sys/auth/people');
    expectStatus(one, 200);
    assert.equal(one.json.data.config.token_type, 'batch');
    expectStatus(await call('POST', 'sys/auth/people/tune', { token_type: 'default-batch' }), 204);
    expectStatus(await call('POST', 'sys/mounts/auth/people/tune', { default_lease_ttl: '5m' }), 204);
    const tune = await call('GET', 'sys/mounts/auth/people/tune');
    expectStatus(tune, 200);
    assert.equal(tune.json.data.token_type, 'default-batch');
    assert.equal(tune.json.data.default_lease_ttl, 300);
    expectStatus(await call('POST', 'sys/remount', { from: 'auth/people', to: 'auth/staff' }), 200);
    const auths = (await call('GET', 'sys/auth')).json.data;
    assert.equal(auths['people/'], undefined);
    assert.equal(auths['staff/'].type, 'userpass');
    expectStatus(await call('DELETE', 'sys/auth/staff'), 204);
    assert.equal((await call('GET', 'sys/auth')).json.data['staff/'], undefined);
  });

  it('the token method cannot be enabled again or disabled; bad inputs are 400', async () => {
    expectStatus(await call('POST', 'sys/auth/token2', { type: 'token' }), 400);
    expectStatus(await call('DELETE', 'sys/auth/token'), 400);
    expectStatus(await call('POST', 'sys/auth/x', { type: 'userpass', config: { token_type: 'weird' } }), 400);
    expectStatus(await call('POST', 'sys/auth/x', { type: 'nope' }), 400);
    expectStatus(await call('POST', 'sys/remount', { from: 'auth/token', to: 'auth/tok' }), 400);
    assert.deepEqual(Object.keys((await call('GET', 'sys/auth')).json.data), ['token/']);
  });

  it('sys/auth/* needs sudo while sys/mounts/auth/<path>/tune does not', async () => {
    expectStatus(await call('POST', 'sys/auth/sudo-test', { type: 'userpass' }), 204);
    expectStatus(await call('PUT', 'sys/policies/acl/tuner', {
      policy: 'path "sys/auth/*" { capabilities = ["create", "read", "update", "delete"] }\npath "sys/mounts/auth/*" { capabilities = ["read", "update"] }',
    }), 204);
    const token = await tokenWith(['tuner']);
    expectStatus(await call('GET', 'sys/auth/sudo-test/tune', undefined, token), 403);
    expectStatus(await call('POST', 'sys/auth/other', { type: 'userpass' }, token), 403);
    expectStatus(await call('DELETE', 'sys/auth/sudo-test', undefined, token), 403);
    expectStatus(await call('GET', 'sys/mounts/auth/sudo-test/tune', undefined, token), 200);
    expectStatus(await call('POST', 'sys/mounts/auth/sudo-test/tune', { description: 'by tuner' }, token), 204);
    assert.equal((await call('GET', 'sys/auth/sudo-test')).json.data.description, 'by tuner');
    expectStatus(await call('POST', 'sys/remount', { from: 'auth/sudo-test', to: 'auth/moved' }, token), 403);
  });
});
