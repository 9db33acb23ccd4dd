/**
 * Response wrapping end to end over HTTP against a real dev server: X-Vault-Wrap-TTL on a
 * read, unwrap (with the wrapping token itself or as a third party), lookup, rewrap, expiry,
 * sys/wrapping/wrap, and wrapped logins carrying `wrapped_accessor`.
 *
 * Reads come from a small key/value fixture backend mounted at `wkv/`, and logins from a
 * fixture auth method at `auth/wraplogin/`, so the suite does not depend on any engine.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { path } from '../src/framework/path.js';
import { newMountEntry } from '../src/core/mounts/manager.js';
import { apiClient, startDevServer, type ApiResponse, type DevServer } from './support/server.js';

const INVALID = { errors: ['wrapping token is not valid or does not exist'] };
const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

let server: DevServer;

const asRoot = (method: string, p: string, body?: unknown, headers?: Record<string, string>) =>
  server.api.call(method, p, body, headers);
const withToken = (token: string, method: string, p: string, body?: unknown, headers?: Record<string, string>) =>
  apiClient(server.api.url, token).call(method, p, body, headers);
const wrapped = (method: string, p: string, ttl: string, body?: unknown) => asRoot(method, p, body, { 'X-Vault-Wrap-TTL': ttl });

const keyOf = (p: unknown): string => (typeof p === 'string' ? p : '');

function registerFixtures(): void {
  const { registry } = server.server.composed;
  registry.register('mounts', 'wrap-test-kv', ({ storage }) => ({
    paths: [
      path({
        pattern: ':path*',
        arbitraryData: true,
        fields: { path: { type: 'string' } },
        operations: {
          read: async (_req, data) => {
            const value = await storage.get(keyOf(data.path));
            return value ? { data: JSON.parse(value.toString('utf8')) as Record<string, unknown> } : undefined;
          },
          update: async (req, data) => { await storage.put(keyOf(data.path), Buffer.from(JSON.stringify(req.data))); },
          list: async (_req, data) => ({ data: { keys: await storage.list(keyOf(data.path)) } }),
        },
      }),
    ],
  }));
  registry.register('auth', 'wrap-test-login', () => ({
    unauthenticatedPaths: ['login'],
    paths: [
      path({
        pattern: 'login',
        operations: {
          update: async () => ({ auth: { policies: ['default'], displayName: 'fixture', metadata: {}, ttlSeconds: 600 } }),
        },
      }),
    ],
  }));
}

function wrapInfoOf(res: ApiResponse): { token: string; accessor: string; ttl: number; creation_time: string; creation_path: string; wrapped_accessor?: string } {
  assert.equal(res.status, 200, res.text);
  return res.json.wrap_info;
}

before(async () => {
  server = await startDevServer();
  registerFixtures();
  await server.server.composed.mounts.mount(newMountEntry('mounts', 'wkv/', 'wrap-test-kv'));
  await server.server.composed.mounts.mount(newMountEntry('auth', 'wraplogin/', 'wrap-test-login'));
  assert.equal((await asRoot('PUT', 'wkv/app', { password: 'hunter2' })).status, 204);
  assert.equal((await asRoot('PUT', 'wkv/dir/one', { v: 1 })).status, 204);
});

after(async () => {
  await server?.close();
});

describe('wrapping a read', () => {
  it('answers only wrap_info, with an empty request_id', async () => {
    const res = await wrapped('GET', 'wkv/app', '300');
    assert.equal(res.status, 200, res.text);
    const info = res.json.wrap_info;
    assert.deepEqual(Object.keys(info), ['token', 'accessor', 'ttl', 'creation_time', 'creation_path']);
    assert.equal(info.ttl, 300);
    assert.equal(info.creation_path, 'wkv/app');
    assert.match(info.creation_time, RFC3339_NANO);
    assert.equal(typeof info.token, 'string');
    assert.notEqual(info.token, '');
    assert.deepEqual({ ...res.json, wrap_info: null }, {
      request_id: '', lease_id: '', renewable: false, lease_duration: 0, data: null,
      wrap_info: null, warnings: null, auth: null,
    });
  });

  it('accepts a duration string for the TTL', async () => {
    assert.equal(wrapInfoOf(await wrapped('GET', 'wkv/app', '5m')).ttl, 300);
  });

  it('unwrap with the wrapping token returns the original response once', async () => {
    const info = wrapInfoOf(await wrapped('GET', 'wkv/app', '60'));
    const res = await withToken(info.token, 'PUT', 'sys/wrapping/unwrap');
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.match(res.json.request_id, /^[0-9a-f-]{36}$/);
    // Verbatim: the stored bytes, not a re-rendered envelope.
    assert.equal(res.text, JSON.stringify({
      request_id: res.json.request_id, lease_id: '', renewable: false, lease_duration: 0,
      data: { password: 'hunter2' }, wrap_info: null, warnings: null, auth: null,
    }));
    assert.deepEqual({ ...res.json, request_id: 'x' }, {
      request_id: 'x', lease_id: '', renewable: false, lease_duration: 0, data: { password: 'hunter2' },
      wrap_info: null, warnings: null, auth: null,
    });
    const again = await withToken(info.token, 'PUT', 'sys/wrapping/unwrap');
    assert.equal(again.status, 400, again.text);
    assert.deepEqual(again.json, INVALID);
    const asThirdParty = await asRoot('PUT', 'sys/wrapping/unwrap', { token: info.token });
    assert.equal(asThirdParty.status, 400, asThirdParty.text);
    assert.deepEqual(asThirdParty.json, INVALID);
  });

  it('a third party unwraps with its own token and the wrapping token in the body', async () => {
    const info = wrapInfoOf(await wrapped('GET', 'wkv/app', '60'));
    const res = await asRoot('POST', 'sys/wrapping/unwrap', { token: info.token });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data, { password: 'hunter2' });
    const again = await asRoot('POST', 'sys/wrapping/unwrap', { token: info.token });
    assert.equal(again.status, 400);
    assert.deepEqual(again.json, INVALID);
    // The wrapping token itself is gone too.
    assert.deepEqual((await withToken(info.token, 'POST', 'sys/wrapping/unwrap')).json, INVALID);
  });

  it('a third party needs update on sys/wrapping/unwrap; a refusal leaves the token intact', async () => {
    const info = wrapInfoOf(await wrapped('GET', 'wkv/app', '60'));
    const { id } = await server.server.composed.core.tokens.create({
      parent: '', policies: ['no-such-policy'], path: 'auth/token/create', displayName: 'wrap-test', ttl: 600, renewable: false,
    });
    const denied = await withToken(id, 'POST', 'sys/wrapping/unwrap', { token: info.token });
    assert.equal(denied.status, 403, denied.text);
    const ok = await withToken(info.token, 'POST', 'sys/wrapping/unwrap');
    assert.equal(ok.status, 200, ok.text);
  });

  it('unknown and missing tokens', async () => {
    const unknown = await withToken('hvs.doesnotexist', 'POST', 'sys/wrapping/unwrap');
    assert.equal(unknown.status, 400, unknown.text);
    assert.deepEqual(unknown.json, INVALID);
    const ordinary = await asRoot('POST', 'sys/wrapping/unwrap');
    assert.equal(ordinary.status, 400, ordinary.text);
    assert.deepEqual(ordinary.json, INVALID);
    const none = await withToken('', 'POST', 'sys/wrapping/unwrap');
    assert.equal(none.status, 403, none.text);
  });

  it('an empty list is 404 rather than wrapped', async () => {
    const res = await asRoot('GET', 'wkv/nothing-here/?list=true', undefined, { 'X-Vault-Wrap-TTL': '60' });
    assert.equal(res.status, 404, `${res.status} ${res.text}`);
    const listed = await asRoot('GET', 'wkv/dir/?list=true', undefined, { 'X-Vault-Wrap-TTL': '60' });
    const info = wrapInfoOf(listed);
    assert.deepEqual((await withToken(info.token, 'POST', 'sys/wrapping/unwrap')).json.data, { keys: ['one'] });
  });
});

describe('sys/wrapping/lookup', () => {
  it('reports creation facts without consuming the token, and needs no auth', async () => {
    const info = wrapInfoOf(await wrapped('GET', 'wkv/app', '120'));
    for (let i = 0; i < 2; i += 1) {
      const res = await withToken('', 'POST', 'sys/wrapping/lookup', { token: info.token });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.data, { creation_path: 'wkv/app', creation_time: info.creation_time, creation_ttl: 120 });
    }
    assert.equal((await withToken(info.token, 'POST', 'sys/wrapping/unwrap')).status, 200);
    const after = await withToken('', 'POST', 'sys/wrapping/lookup', { token: info.token });
    assert.equal(after.status, 400, after.text);
    assert.deepEqual(after.json, INVALID);
  });
});

describe('sys/wrapping/rewrap', () => {
  it('issues a new token with the same TTL and creation path and revokes the old one', async () => {
    const first = wrapInfoOf(await wrapped('GET', 'wkv/app', '240'));
    const res = await asRoot('POST', 'sys/wrapping/rewrap', { token: first.token });
    const second = wrapInfoOf(res);
    assert.equal(res.json.request_id, '');
    assert.notEqual(second.token, first.token);
    assert.equal(second.ttl, 240);
    assert.equal(second.creation_path, 'wkv/app');
    assert.deepEqual((await withToken(first.token, 'POST', 'sys/wrapping/unwrap')).json, INVALID);
    const body = await withToken(second.token, 'POST', 'sys/wrapping/unwrap');
    assert.equal(body.status, 200, body.text);
    assert.deepEqual(body.json.data, { password: 'hunter2' });
  });
});

describe('sys/wrapping/wrap', () => {
  it('requires the wrap header', async () => {
    const res = await asRoot('POST', 'sys/wrapping/wrap', { a: 'b' });
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(res.json, { errors: ['endpoint requires response wrapping to be used'] });
  });

  it('wraps the body as data', async () => {
    const info = wrapInfoOf(await wrapped('POST', 'sys/wrapping/wrap', '60', { a: 'b', n: 1 }));
    assert.equal(info.creation_path, 'sys/wrapping/wrap');
    const res = await withToken(info.token, 'POST', 'sys/wrapping/unwrap');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data, { a: 'b', n: 1 });
  });
});

describe('expiry', () => {
  it('a wrapping token is invalid once its TTL has passed', async () => {
    const info = wrapInfoOf(await wrapped('POST', 'sys/wrapping/wrap', '1', { a: 'b' }));
    await new Promise((r) => setTimeout(r, 1100));
    const lookup = await withToken('', 'POST', 'sys/wrapping/lookup', { token: info.token });
    assert.equal(lookup.status, 400, lookup.text);
    assert.deepEqual(lookup.json, INVALID);
    const unwrap = await withToken(info.token, 'POST', 'sys/wrapping/unwrap');
    assert.equal(unwrap.status, 400, unwrap.text);
    assert.deepEqual(unwrap.json, INVALID);
  });
});

describe('wrapped tokens', () => {
  it('a wrapped login carries wrapped_accessor = the minted token\'s accessor', async () => {
    const res = await withToken('', 'POST', 'auth/wraplogin/login', {}, { 'X-Vault-Wrap-TTL': '60' });
    const info = wrapInfoOf(res);
    assert.equal(typeof info.wrapped_accessor, 'string');
    const unwrapped = await withToken(info.token, 'POST', 'sys/wrapping/unwrap');
    assert.equal(unwrapped.status, 200, unwrapped.text);
    assert.equal(unwrapped.json.auth.accessor, info.wrapped_accessor);
    const self = await server.server.composed.core.tokens.lookup(unwrapped.json.auth.client_token);
    assert.equal(self?.accessor, info.wrapped_accessor);
  });

  it('a wrapped auth/token/create carries wrapped_accessor', async () => {
    const res = await wrapped('POST', 'auth/token/create', '60', { policies: ['default'] });
    const info = wrapInfoOf(res);
    assert.equal(typeof info.wrapped_accessor, 'string');
    const unwrapped = await withToken(info.token, 'POST', 'sys/wrapping/unwrap');
    assert.equal(unwrapped.json.auth.accessor, info.wrapped_accessor);
  });
});
