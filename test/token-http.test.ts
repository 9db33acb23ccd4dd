/**
 * The token auth method over HTTP against a real dev server: create/lookup/renew/revoke,
 * orphans, accessors, roles, batch tokens, use limits, expiry, header precedence, bound CIDRs,
 * and that token ids never reach storage in clear.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDevServer, type ApiResponse, type DevServer } from './support/server.js';

let server: DevServer;

const call = (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> =>
  server.api.call(method, path, body, { 'X-Vault-Token': token, ...headers });
const asRoot = (method: string, path: string, body?: unknown) => call(method, path, server.rootToken, body);

async function create(body: Record<string, unknown> = {}, token = server.rootToken, path = 'auth/token/create'): Promise<any> {
  const res = await call('POST', path, token, body);
  assert.equal(res.status, 200, res.text);
  return res.json.auth;
}

function assertError(res: ApiResponse, status: number, message?: string): void {
  assert.equal(res.status, status, res.text);
  if (message !== undefined) assert.ok((res.json.errors as string[]).some((e) => e.includes(message)), res.text);
}

before(async () => {
  server = await startDevServer();
  const res = await asRoot('PUT', 'sys/policies/acl/ops', { policy: 'path "auth/token/*" { capabilities = ["create", "read", "update", "list"] }' });
  assert.equal(res.status, 204, res.text);
});
after(async () => { await server.close(); });

describe('auth/token over HTTP', () => {
  it('creates a child token and looks it up', async () => {
    const auth = await create({ policies: ['ops'], meta: { app: 'web' }, ttl: '1h', display_name: 'web' });
    assert.match(auth.client_token, /^hvs\./);
    assert.deepEqual(auth.policies, ['default', 'ops']);
    assert.deepEqual(auth.token_policies, ['default', 'ops']);
    assert.equal(auth.lease_duration, 3600);
    assert.equal(auth.renewable, true);
    assert.equal(auth.orphan, false);
    assert.equal(auth.token_type, 'service');
    assert.deepEqual(auth.metadata, { app: 'web' });

    const self = await call('GET', 'auth/token/lookup-self', auth.client_token);
    assert.equal(self.status, 200, self.text);
    assert.equal(self.json.data.id, auth.client_token);
    assert.equal(self.json.data.display_name, 'token-web');
    assert.equal(self.json.data.accessor, auth.accessor);
    assert.equal(self.json.data.creation_ttl, 3600);
    assert.match(self.json.data.expire_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(self.json.data.meta, { app: 'web' });

    const byPost = await asRoot('POST', 'auth/token/lookup', { token: auth.client_token });
    assert.equal(byPost.json.data.id, auth.client_token);
    const byGet = await asRoot('GET', `auth/token/lookup?token=${encodeURIComponent(auth.client_token)}`);
    assert.equal(byGet.json.data.accessor, auth.accessor);
    const byAccessor = await asRoot('POST', 'auth/token/lookup-accessor', { accessor: auth.accessor });
    assert.equal(byAccessor.json.data.id, '');
    assert.equal(byAccessor.json.data.accessor, auth.accessor);
  });

  it('root token lookup: no expiry, ttl 0', async () => {
    const res = await asRoot('GET', 'auth/token/lookup-self');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.expire_time, null);
    assert.equal(res.json.data.ttl, 0);
    assert.deepEqual(res.json.data.policies, ['root']);
    assert.equal(res.json.data.renewable, false);
  });

  it('enforces the subset rule and sudo for orphans', async () => {
    const parent = await create({ policies: ['ops'] });
    assertError(await call('POST', 'auth/token/create', parent.client_token, { policies: ['admin'] }), 400, 'child policies must be subset of parent');
    assertError(await call('POST', 'auth/token/create', parent.client_token, { no_parent: true }), 400, 'root or sudo privileges required to create orphan token');
    const orphan = await create({}, parent.client_token, 'auth/token/create-orphan');
    assert.equal(orphan.orphan, true);
  });

  it('renews with increment, capped by explicit_max_ttl; renew-accessor hides the token', async () => {
    const auth = await create({ ttl: 60, explicit_max_ttl: 120 });
    const renewed = await call('POST', 'auth/token/renew-self', auth.client_token, { increment: 90 });
    assert.equal(renewed.status, 200, renewed.text);
    assert.equal(renewed.json.auth.client_token, auth.client_token);
    assert.ok(renewed.json.auth.lease_duration >= 89 && renewed.json.auth.lease_duration <= 90);
    const capped = await asRoot('POST', 'auth/token/renew-accessor', { accessor: auth.accessor, increment: 3600 });
    assert.equal(capped.status, 200, capped.text);
    assert.equal(capped.json.auth.client_token, '');
    assert.ok(capped.json.auth.lease_duration <= 120 && capped.json.auth.lease_duration > 100);
    const viaToken = await asRoot('POST', 'auth/token/renew', { token: auth.client_token, increment: 10 });
    assert.equal(viaToken.json.auth.lease_duration, 10);
    assertError(await asRoot('POST', 'auth/token/renew-self', {}), 400, 'lease is not renewable');
  });

  it('revoking a parent revokes its children; orphan revocation keeps them', async () => {
    const parent = await create({ policies: ['ops'] });
    const child = await create({}, parent.client_token);
    const grandchild = await create({}, child.client_token);
    assert.equal((await asRoot('POST', 'auth/token/revoke', { token: parent.client_token })).status, 204);
    for (const t of [parent, child, grandchild]) {
      assertError(await call('GET', 'auth/token/lookup-self', t.client_token), 403);
    }

    const p2 = await create({ policies: ['ops'] });
    const c2 = await create({}, p2.client_token);
    assertError(await call('POST', 'auth/token/revoke-orphan', p2.client_token, { token: p2.client_token }), 403);
    assert.equal((await asRoot('POST', 'auth/token/revoke-orphan', { token: p2.client_token })).status, 204);
    assertError(await call('GET', 'auth/token/lookup-self', p2.client_token), 403);
    const alive = await call('GET', 'auth/token/lookup-self', c2.client_token);
    assert.equal(alive.status, 200, alive.text);
    assert.equal(alive.json.data.orphan, true);

    const byAccessor = await create();
    assert.equal((await asRoot('POST', 'auth/token/revoke-accessor', { accessor: byAccessor.accessor })).status, 204);
    assertError(await call('GET', 'auth/token/lookup-self', byAccessor.client_token), 403);
    assert.equal((await call('POST', 'auth/token/revoke-self', c2.client_token)).status, 204);
    assertError(await call('GET', 'auth/token/lookup-self', c2.client_token), 403);
  });

  it('lists accessors (sudo) and tidies', async () => {
    const auth = await create();
    const viaVerb = await asRoot('LIST', 'auth/token/accessors');
    assert.equal(viaVerb.status, 200, viaVerb.text);
    const list = await asRoot('GET', 'auth/token/accessors?list=true');
    assert.equal(list.status, 200, list.text);
    assert.ok((list.json.data.keys as string[]).includes(auth.accessor));
    const ops = await create({ policies: ['ops'] });
    assertError(await call('GET', 'auth/token/accessors?list=true', ops.client_token), 403);
    const tidy = await asRoot('POST', 'auth/token/tidy');
    assert.equal(tidy.status, 202, tidy.text);
    assert.match(tidy.json.warnings[0], /^Tidy operation successfully started/);
  });

  it('manages roles and creates tokens against them', async () => {
    assert.equal((await asRoot('POST', 'auth/token/roles/app', { allowed_policies: ['ops'], orphan: true, token_explicit_max_ttl: '2h', path_suffix: 'v2' })).status, 204);
    const role = await asRoot('GET', 'auth/token/roles/app');
    assert.equal(role.status, 200, role.text);
    assert.deepEqual(role.json.data.allowed_policies, ['ops']);
    assert.equal(role.json.data.token_explicit_max_ttl, 7200);
    assert.equal(role.json.data.token_type, 'default-service');
    const list = await asRoot('GET', 'auth/token/roles?list=true');
    assert.deepEqual(list.json.data.keys, ['app']);
    const auth = await create({}, server.rootToken, 'auth/token/create/app');
    assert.deepEqual(auth.policies, ['default', 'ops']);
    assert.equal(auth.orphan, true);
    const look = await asRoot('POST', 'auth/token/lookup', { token: auth.client_token });
    assert.equal(look.json.data.path, 'auth/token/create/app/v2');
    assert.equal(look.json.data.role, 'app');
    assert.equal(look.json.data.explicit_max_ttl, 7200);
    assertError(await asRoot('POST', 'auth/token/create/app', { policies: ['admin'] }), 400);
    assertError(await asRoot('POST', 'auth/token/create/missing', {}), 400, 'unknown role');
    assert.equal((await asRoot('DELETE', 'auth/token/roles/app')).status, 204);
    assert.equal((await asRoot('GET', 'auth/token/roles/app')).status, 404);
  });

  it('batch tokens: hvb., authorise requests, lookup works, no renew/revoke, no children', async () => {
    const batch = await create({ type: 'batch', policies: ['ops'], ttl: '10m' });
    assert.match(batch.client_token, /^hvb\./);
    assert.equal(batch.token_type, 'batch');
    assert.equal(batch.renewable, false);
    assert.equal(batch.accessor, '');
    const self = await call('GET', 'auth/token/lookup-self', batch.client_token);
    assert.equal(self.status, 200, self.text);
    assert.equal(self.json.data.type, 'batch');
    assert.deepEqual(self.json.data.policies, ['default', 'ops']);
    assertError(await asRoot('POST', 'auth/token/renew', { token: batch.client_token }), 400, 'batch tokens cannot be renewed');
    assertError(await asRoot('POST', 'auth/token/revoke', { token: batch.client_token }), 400, 'batch tokens cannot be revoked');
    assertError(await call('POST', 'auth/token/create', batch.client_token, {}), 400, 'batch tokens cannot create more tokens');
    const forged = `${batch.client_token.slice(0, -4)}AAAA`;
    assertError(await call('GET', 'auth/token/lookup-self', forged), 403);
  });

  it('a 2-use token works twice and is then gone', async () => {
    const limited = await create({ num_uses: 2 });
    const first = await call('GET', 'auth/token/lookup-self', limited.client_token);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.data.num_uses, 1);
    const second = await call('GET', 'auth/token/lookup-self', limited.client_token);
    assert.equal(second.status, 200, second.text);
    assertError(await call('GET', 'auth/token/lookup-self', limited.client_token), 403);
    assertError(await asRoot('POST', 'auth/token/lookup', { token: limited.client_token }), 403, 'bad token');
  });

  it('an expired token is refused with 403', async () => {
    const short = await create({ ttl: '1s' });
    await sleep(2100);
    assertError(await call('GET', 'auth/token/lookup-self', short.client_token), 403);
  });

  it('Authorization: Bearer works; X-Vault-Token wins over it', async () => {
    const ops = await create({ policies: ['ops'] });
    const bearer = await server.api.call('GET', 'auth/token/lookup-self', undefined, { 'X-Vault-Token': '', Authorization: `Bearer ${ops.client_token}` });
    assert.equal(bearer.status, 200, bearer.text);
    assert.equal(bearer.json.data.id, ops.client_token);
    const both = await call('GET', 'auth/token/lookup-self', server.rootToken, undefined, { Authorization: `Bearer ${ops.client_token}` });
    assert.equal(both.status, 200, both.text);
    assert.deepEqual(both.json.data.policies, ['root']);
  });

  it('bound CIDRs: a token bound elsewhere is refused from loopback', async () => {
    assert.equal((await asRoot('POST', 'auth/token/roles/far', { token_bound_cidrs: ['10.0.0.0/8'] })).status, 204);
    assert.equal((await asRoot('POST', 'auth/token/roles/near', { token_bound_cidrs: ['127.0.0.0/8', '::1/128'] })).status, 204);
    const far = await create({ policies: ['ops'] }, server.rootToken, 'auth/token/create/far');
    const near = await create({ policies: ['ops'] }, server.rootToken, 'auth/token/create/near');
    assertError(await call('GET', 'auth/token/lookup-self', far.client_token), 403);
    assert.equal((await call('GET', 'auth/token/lookup-self', near.client_token)).status, 200);
    const look = await asRoot('POST', 'auth/token/lookup', { token: far.client_token });
    assert.deepEqual(look.json.data.bound_cidrs, ['10.0.0.0/8']);
  });

  it('stores tokens only hashed: no token id appears in any key or value behind the barrier', async () => {
    const made = [await create({ policies: ['ops'] }), await create({ id: 'custom-token-id-xyz' })];
    const { barrier } = server.server.composed.core;
    const seen: string[] = [];
    const walk = async (prefix: string): Promise<void> => {
      for (const key of await barrier.list(prefix)) {
        if (key.endsWith('/')) await walk(prefix + key);
        else seen.push(prefix + key, (await barrier.get(prefix + key))?.toString('latin1') ?? '');
      }
    };
    for (const prefix of ['sys/', 'auth/', 'logical/']) await walk(prefix);
    assert.ok(seen.some((k) => k.startsWith('sys/token/id/')), 'token entries are where expected');
    for (const token of [server.rootToken, ...made.map((a) => a.client_token as string)]) {
      assert.equal(seen.some((s) => s.includes(token)), false, 'a token id was found in storage');
    }
  });
});
