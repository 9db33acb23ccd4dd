/**
 * ACL policies end to end over HTTP against a real dev server: policies written through
 * sys/policies/acl, tokens carrying them, and the request pipeline enforcing them.
 *
 * Data paths use a tiny key/value fixture backend mounted at `kvt/` (registered by this test
 * through the server's own registry and mount table), so the matrix does not depend on any
 * particular secrets engine; it has an existence check, so writes are create vs update as in KV.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { path } from '../src/framework/path.js';
import { newMountEntry } from '../src/core/mounts/manager.js';
import { startDevServer, type ApiResponse, type DevServer } from './support/server.js';

let server: DevServer;

/** A request with the path sent exactly as given (no URL normalisation). */
/** Sends the path exactly as given (the shared client never resolves `..`). */
function rawCall(method: string, rawPath: string, token: string, body?: unknown): Promise<ApiResponse> {
  return server.api.call(method, rawPath, body, { 'X-Vault-Token': token });
}

const call = (method: string, p: string, token: string, body?: unknown) => rawCall(method, `/v1/${p}`, token, body);
const asRoot = (method: string, p: string, body?: unknown) => call(method, p, server.rootToken, body);

async function writePolicy(name: string, text: string): Promise<void> {
  const res = await asRoot('PUT', `sys/policies/acl/${name}`, { policy: text });
  assert.equal(res.status, 204, res.text);
}

async function tokenWith(policies: string[]): Promise<string> {
  const { id } = await server.server.composed.core.tokens.create({
    parent: '', policies, path: 'auth/token/create', displayName: 'policy-test', ttl: 3600, renewable: false,
  });
  return id;
}

function assertDenied(res: ApiResponse): void {
  assert.equal(res.status, 403, res.text);
  assert.deepEqual(res.json, { errors: ['permission denied'] });
}

function registerFixtureBackend(): void {
  server.server.composed.registry.register('mounts', 'policy-test-kv', ({ storage }) => {
    const keyOf = (p: string | undefined) => p ?? '';
    return {
      paths: [
        path({
          pattern: ':path*',
          arbitraryData: true,
          existenceCheck: async (_req, data) => (await storage.get(keyOf(data.path))) !== undefined,
          fields: { path: { type: 'string' } } as const,
          operations: {
            read: async (_req, data) => {
              const value = await storage.get(keyOf(data.path));
              return value ? { data: JSON.parse(value.toString('utf8')) as Record<string, unknown> } : undefined;
            },
            update: async (req, data) => {
              const body = { ...req.data };
              await storage.put(keyOf(data.path), Buffer.from(JSON.stringify(body)));
            },
            delete: async (_req, data) => { await storage.delete(keyOf(data.path)); },
            list: async (_req, data) => ({ data: { keys: await storage.list(keyOf(data.path)) } }),
          },
        }),
        path({
          pattern: '',
          operations: { list: async () => ({ data: { keys: await storage.list('') } }) },
        }),
      ],
    };
  });
}

before(async () => {
  server = await startDevServer();
  registerFixtureBackend();
  await server.server.composed.mounts.mount(newMountEntry('mounts', 'kvt/', 'policy-test-kv'));
  for (const [p, body] of Object.entries({
    'kvt/app/db': { password: 'app-db' },
    'kvt/app/hidden': { password: 'hidden' },
    'kvt/other/x': { password: 'other' },
    'kvt/teams/a/config': { v: 'a' },
    'kvt/teams/a/b/config': { v: 'ab' },
    'kvt/zip-zap/x': { v: 'zip' },
    'kvt/zoo/x': { v: 'zoo' },
  })) {
    assert.equal((await asRoot('PUT', p, body)).status, 204);
  }
});

after(async () => {
  await server?.close();
});

describe('ACL enforcement over HTTP', () => {
  it('allows what a policy grants and refuses the rest with 403 permission denied', async () => {
    await writePolicy('app-read', 'path "kvt/app/*" { capabilities = ["read", "list"] }');
    const token = await tokenWith(['default', 'app-read']);
    const read = await call('GET', 'kvt/app/db', token);
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(read.json.data, { password: 'app-db' });
    assert.equal((await call('GET', 'kvt/app?list=true', token)).status, 200);
    assertDenied(await call('GET', 'kvt/other/x', token));
    assertDenied(await call('PUT', 'kvt/app/db', token, { password: 'changed' }));
    assertDenied(await call('DELETE', 'kvt/app/db', token));
    assertDenied(await call('GET', 'sys/policies/acl/app-read', token));
    assert.deepEqual((await asRoot('GET', 'kvt/app/db')).json.data, { password: 'app-db' });
  });

  it('a deny in one policy beats an allow in another', async () => {
    await writePolicy('allow-app', 'path "kvt/app/*" { capabilities = ["read"] }\npath "kvt/app/hidden" { capabilities = ["read"] }');
    await writePolicy('deny-hidden', 'path "kvt/app/hidden" { capabilities = ["deny"] }');
    const token = await tokenWith(['allow-app', 'deny-hidden']);
    assert.equal((await call('GET', 'kvt/app/db', token)).status, 200);
    assertDenied(await call('GET', 'kvt/app/hidden', token));
  });

  it('`+` matches exactly one segment and `*` is a prefix glob', async () => {
    await writePolicy('globs', [
      'path "kvt/teams/+/config" { capabilities = ["read"] }',
      'path "kvt/zip-*" { capabilities = ["read"] }',
    ].join('\n'));
    const token = await tokenWith(['globs']);
    assert.equal((await call('GET', 'kvt/teams/a/config', token)).status, 200);
    assertDenied(await call('GET', 'kvt/teams/a/b/config', token));
    assert.equal((await call('GET', 'kvt/zip-zap/x', token)).status, 200);
    assertDenied(await call('GET', 'kvt/zoo/x', token));
  });

  it('create needs `create`: a token with only `update` cannot create a new key', async () => {
    await writePolicy('update-only', 'path "kvt/app/*" { capabilities = ["update", "read"] }');
    const token = await tokenWith(['update-only']);
    assert.equal((await call('PUT', 'kvt/app/db', token, { password: 'app-db' })).status, 204);
    assertDenied(await call('PUT', 'kvt/app/brand-new', token, { password: 'x' }));
    assert.equal((await asRoot('GET', 'kvt/app/brand-new')).status, 404);
  });

  it('parameter constraints: a denied or unlisted parameter is refused and nothing is written', async () => {
    await writePolicy('params', `
      path "kvt/params/*" {
        capabilities = ["create", "update", "read"]
        allowed_parameters = { "color" = ["red", "blue"], "secret_flag" = [] }
        denied_parameters = { "secret_flag" = [] }
      }`);
    const token = await tokenWith(['params']);
    assertDenied(await call('PUT', 'kvt/params/a', token, { color: 'green' }));
    assert.equal((await asRoot('GET', 'kvt/params/a')).status, 404);
    assertDenied(await call('PUT', 'kvt/params/a', token, { color: 'red', size: 'xl' }));
    assert.equal((await asRoot('GET', 'kvt/params/a')).status, 404);
    assert.equal((await call('PUT', 'kvt/params/a', token, { color: 'red' })).status, 204);
    assertDenied(await call('PUT', 'kvt/params/a', token, { color: 'blue', secret_flag: 'yes' }));
    assert.deepEqual((await asRoot('GET', 'kvt/params/a')).json.data, { color: 'red' });
  });

  it('path tricks never widen access', async () => {
    await writePolicy('tricks', 'path "kvt/app/*" { capabilities = ["read", "list"] }');
    const token = await tokenWith(['tricks']);
    const cases: Array<[string, number]> = [
      ['/v1/kvt/app/../other/x', 400],
      ['/v1/kvt/app/%2e%2e/other/x', 400],
      ['/v1/kvt/app/%2E%2E/other/x', 400],
      ['/v1/kvt/app%2F..%2Fother/x', 400],
      ['/v1/kvt/app/./db', 400],
      ['/v1/kvt//other/x', 400],
      ['/v1/kvt/app//db', 400],
      ['//v1/kvt/other/x', 404],
      ['/v1/kvt/other/x/', 403],
      ['/v1/kvt/APP/db', 403],
      ['/v1/KVT/app/db', 404],
      ['/v1/kvt/app/db%00', 400],
    ];
    for (const [rawPath, status] of cases) {
      const res = await rawCall('GET', rawPath, token);
      assert.notEqual(res.status, 200, rawPath);
      assert.equal(res.status, status, `${rawPath}: ${res.text}`);
    }
    // the same spellings are refused for root too: canonical paths only
    assert.equal((await rawCall('GET', '/v1/kvt/app/../other/x', server.rootToken)).status, 400);
  });

  it('a policy change takes effect on the next request (compiled ACLs are invalidated)', async () => {
    await writePolicy('changing', 'path "kvt/zoo/*" { capabilities = ["read"] }');
    const token = await tokenWith(['changing']);
    assert.equal((await call('GET', 'kvt/zoo/x', token)).status, 200);
    await writePolicy('changing', 'path "kvt/zoo/*" { capabilities = ["list"] }');
    assertDenied(await call('GET', 'kvt/zoo/x', token));
    await writePolicy('changing', 'path "kvt/zoo/*" { capabilities = ["read"] }');
    assert.equal((await call('GET', 'kvt/zoo/x', token)).status, 200);
    assert.equal((await asRoot('DELETE', 'sys/policies/acl/changing')).status, 204);
    assertDenied(await call('GET', 'kvt/zoo/x', token));
  });

  it('sudo-only paths refuse a token with update but without sudo', async () => {
    await writePolicy('no-sudo', 'path "sys/rotate" { capabilities = ["update"] }\npath "sys/seal" { capabilities = ["update"] }');
    await writePolicy('with-sudo', 'path "sys/rotate" { capabilities = ["update", "sudo"] }');
    const plain = await tokenWith(['no-sudo']);
    assertDenied(await call('PUT', 'sys/rotate', plain));
    assertDenied(await call('PUT', 'sys/seal', plain));
    const sudo = await tokenWith(['with-sudo']);
    assert.equal((await call('PUT', 'sys/rotate', sudo)).status, 204);
  });

  it('an unknown token is refused', async () => {
    const res = await call('GET', 'kvt/app/db', 'hvs.not-a-token');
    assert.equal(res.status, 403);
  });
});

describe('policy endpoints over HTTP', () => {
  it('sys/policy lists default and root (also at the top level); response-wrapping is hidden', async () => {
    const res = await asRoot('GET', 'sys/policy');
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.data.keys.includes('default'));
    assert.equal(res.json.data.keys.at(-1), 'root');
    assert.ok(!res.json.data.keys.includes('response-wrapping'));
    assert.deepEqual(res.json.data.policies, res.json.data.keys);
    assert.deepEqual(res.json.policies, res.json.data.keys);
    const list = await asRoot('GET', 'sys/policies/acl?list=true');
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.data.keys, res.json.data.keys);
    assert.equal(list.json.keys, undefined); // not top-level injected
  });

  it('legacy reads return `rules`, new reads return `policy`; names are normalised', async () => {
    const text = 'path "kvt/names/*" { capabilities = ["read"] }';
    assert.equal((await asRoot('PUT', 'sys/policy/Mixed%20Case', { policy: text })).status, 204);
    const legacy = await asRoot('GET', 'sys/policy/mixed%20case');
    assert.deepEqual(legacy.json.data, { name: 'mixed case', rules: text });
    assert.equal(legacy.json.rules, text);
    const current = await asRoot('GET', 'sys/policies/acl/MIXED%20CASE');
    assert.deepEqual(current.json.data, { name: 'mixed case', policy: text });

    const withRules = await asRoot('PUT', 'sys/policy/old-style', { rules: text });
    assert.equal(withRules.status, 200);
    assert.deepEqual(withRules.json.warnings, ["'rules' is deprecated, please use 'policy' instead"]);

    const b64 = await asRoot('PUT', 'sys/policies/acl/encoded', { policy: Buffer.from(text).toString('base64') });
    assert.equal(b64.status, 204);
    assert.equal((await asRoot('GET', 'sys/policies/acl/encoded')).json.data.policy, text);
  });

  it('errors: invalid HCL 400, missing 404, root and default protected in every spelling', async () => {
    const bad = await asRoot('PUT', 'sys/policies/acl/bad', { policy: 'path "x" {' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.errors[0], /^failed to parse policy/);
    assert.deepEqual(await asRoot('GET', 'sys/policies/acl/bad').then((r) => [r.status, r.json]), [404, { errors: [] }]);

    for (const name of ['root', '%20Root', 'ROOT']) {
      const write = await asRoot('PUT', `sys/policy/${name}`, { policy: 'path "x" { capabilities = ["read"] }' });
      assert.deepEqual([write.status, write.json], [400, { errors: ['cannot update "root" policy'] }], name);
      const del = await asRoot('DELETE', `sys/policies/acl/${name}`);
      assert.deepEqual([del.status, del.json], [400, { errors: ['cannot delete "root" policy'] }], name);
    }
    const delDefault = await asRoot('DELETE', 'sys/policy/Default');
    assert.deepEqual([delDefault.status, delDefault.json], [400, { errors: ['cannot delete default policy'] }]);
    assert.equal((await asRoot('DELETE', 'sys/policies/acl/never-existed')).status, 204);
  });
});

describe('capabilities over HTTP', () => {
  it('capabilities-self: root reports root, a limited token its own capabilities', async () => {
    const root = await asRoot('POST', 'sys/capabilities-self', { paths: ['kvt/app/db'] });
    assert.equal(root.status, 200, root.text);
    assert.deepEqual(root.json.data, { 'kvt/app/db': ['root'], capabilities: ['root'] });
    assert.deepEqual(root.json.capabilities, ['root']);

    await writePolicy('caps', 'path "kvt/app/*" { capabilities = ["read", "list"] }');
    const token = await tokenWith(['default', 'caps']);
    const limited = await call('POST', 'sys/capabilities-self', token, { paths: ['kvt/app/db', 'kvt/other/x', 'sys/seal'] });
    assert.equal(limited.status, 200, limited.text);
    assert.deepEqual(limited.json.data, { 'kvt/app/db': ['list', 'read'], 'kvt/other/x': ['deny'], 'sys/seal': ['deny'] });
    const legacy = await call('POST', 'sys/capabilities-self', token, { path: 'kvt/app/db' });
    assert.deepEqual(legacy.json.capabilities, ['list', 'read']);
  });

  it('sys/capabilities and capabilities-accessor evaluate another token; invalid token 400', async () => {
    await writePolicy('caps2', 'path "kvt/zoo/*" { capabilities = ["read"] }');
    const token = await tokenWith(['caps2']);
    const byToken = await asRoot('POST', 'sys/capabilities', { token, paths: ['kvt/zoo/x'] });
    assert.deepEqual(byToken.json.data, { 'kvt/zoo/x': ['read'], capabilities: ['read'] });
    const entry = await server.server.composed.core.tokens.lookup(token);
    const byAccessor = await asRoot('POST', 'sys/capabilities-accessor', { accessor: entry!.accessor, paths: 'kvt/zoo/x' });
    assert.deepEqual(byAccessor.json.data, { 'kvt/zoo/x': ['read'], capabilities: ['read'] });
    const invalid = await asRoot('POST', 'sys/capabilities', { token: 'hvs.bogus', paths: ['kvt/zoo/x'] });
    assert.deepEqual([invalid.status, invalid.json], [400, { errors: ['invalid token'] }]);
    // the limited token has no policy on sys/capabilities itself
    assertDenied(await call('POST', 'sys/capabilities', token, { token, paths: ['kvt/zoo/x'] }));
  });
});

describe('child tokens', () => {
  it('a child token never exceeds its parent', async (t) => {
    await writePolicy('parent-pol', 'path "kvt/app/*" { capabilities = ["read"] }\npath "auth/token/create" { capabilities = ["update"] }');
    await writePolicy('extra-pol', 'path "kvt/other/*" { capabilities = ["read"] }');
    const parent = await tokenWith(['default', 'parent-pol']);
    const probe = await call('POST', 'auth/token/create', parent, { policies: ['parent-pol'] });
    if (probe.status === 404 || probe.status === 405) {
      t.skip('auth/token/create is not available in this build yet');
      return;
    }
    assert.equal(probe.status, 200, probe.text);
    const child = probe.json.auth.client_token as string;
    assert.equal((await call('GET', 'kvt/app/db', child)).status, 200);
    assertDenied(await call('GET', 'kvt/other/x', child));

    const wider = await call('POST', 'auth/token/create', parent, { policies: ['extra-pol'] });
    assert.deepEqual([wider.status, wider.json], [400, { errors: ['child policies must be subset of parent'] }]);
    const rootChild = await call('POST', 'auth/token/create', parent, { policies: ['root'] });
    assert.deepEqual([rootChild.status, rootChild.json], [400, { errors: ['child policies must be subset of parent'] }]);
  });
});

describe('persistence across seal and unseal', () => {
  it('policies survive a seal/unseal cycle; the builtins are still there', async () => {
    await writePolicy('durable', 'path "kvt/app/*" { capabilities = ["read"] }');
    const token = await tokenWith(['durable']);
    assert.equal((await asRoot('PUT', 'sys/seal')).status, 204);
    assert.equal((await asRoot('GET', 'sys/policies/acl/durable')).status, 503);
    const unseal = await asRoot('PUT', 'sys/unseal', { key: server.unsealKey });
    assert.equal(unseal.status, 200, unseal.text);
    assert.equal(unseal.json.sealed, false);
    assert.equal((await asRoot('GET', 'sys/policies/acl/durable')).json.data.policy, 'path "kvt/app/*" { capabilities = ["read"] }');
    assert.ok((await asRoot('GET', 'sys/policy')).json.data.keys.includes('default'));
    assert.equal((await call('GET', 'kvt/app/db', token)).status, 200);
    assertDenied(await call('GET', 'kvt/other/x', token));
  });
});
