import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInmemStorage } from '../../storage/inmem.js';
import { createDispatcher } from '../../framework/backend.js';
import type { LogicalRequest, LogicalResponse, Operation } from '../../framework/logical.js';
import { InvalidRequest, PermissionDenied } from '../../errors.js';
import { createTokenStore } from '../../core/tokens/store.js';
import { createTokenBackend } from './index.js';

async function setup(limits = { defaultTtl: 3600, maxTtl: 7200 }) {
  const storage = createInmemStorage();
  const clock = { now: 1_700_000_000 };
  const tokens = createTokenStore({ storage, now: () => clock.now });
  await tokens.load();
  const registered: string[] = [];
  const backend = createTokenBackend({
    tokens, storage: createInmemStorage(), systemLimits: () => limits,
    leases: { registerToken: async (e) => { registered.push(e.hashedId); } },
  });
  const dispatcher = createDispatcher(backend);
  const root = await tokens.create({ parent: '', policies: ['root'], path: 'auth/token/root', displayName: 'root', ttl: 0, renewable: false });

  async function call(operation: Operation, relPath: string, data: Record<string, unknown>, token = root.id): Promise<LogicalResponse> {
    const entry = await tokens.lookup(token);
    if (!entry) throw new PermissionDenied('permission denied (invalid token)');
    const req: LogicalRequest = {
      id: 'r', operation, path: `auth/token/${relPath}`, mountRelativePath: relPath, mountPoint: 'auth/token/',
      mountType: 'token', mountAccessor: 'auth_token_1', data, clientToken: token, headers: {}, remoteAddress: '127.0.0.1',
      storage, caller: {
        tokenAccessor: entry.accessor, policies: entry.policies, displayName: entry.displayName, entityId: entry.entityId,
        metadata: entry.meta, tokenId: entry.hashedId, clientToken: token, tokenType: entry.type, isRoot: entry.policies.includes('root'),
      },
    };
    const lastUse = await tokens.use(entry);
    const res = await dispatcher.handle(req);
    if (lastUse) await tokens.revokeTree(entry);
    return res;
  }
  const auth = (r: LogicalResponse) => r.mintedAuth as Record<string, any>;
  return { tokens, clock, call, auth, root, registered };
}

const invalid = (message: string | RegExp) => (err: unknown) =>
  err instanceof InvalidRequest && (typeof message === 'string' ? err.message === message : message.test(err.message));

test('create: child of root with policies, meta, display name, num_uses; lease registered', async () => {
  const { call, auth, registered } = await setup();
  const res = await call('update', 'create', { policies: 'b,a', meta: { app: 'x' }, display_name: 'my app!', num_uses: 3 });
  const a = auth(res);
  assert.match(a.client_token, /^hvs\./);
  assert.deepEqual(a.policies, ['a', 'b', 'default']);
  assert.deepEqual(a.metadata, { app: 'x' });
  assert.equal(a.lease_duration, 3600);
  assert.equal(a.renewable, true);
  assert.equal(a.orphan, false);
  assert.equal(a.num_uses, 3);
  assert.equal(a.token_type, 'service');
  assert.equal(registered.length, 1);
  const look = await call('update', 'lookup', { token: a.client_token });
  assert.equal(look.data?.display_name, 'token-my-app');
  assert.equal(look.data?.path, 'auth/token/create');
});

test('create: non-root parent can only narrow policies; orphan, id and period need sudo', async () => {
  const { call, auth } = await setup();
  const parent = auth(await call('update', 'create', { policies: ['a', 'b'] })).client_token;
  const child = auth(await call('update', 'create', { policies: ['a'] }, parent));
  assert.deepEqual(child.policies, ['a', 'default']);
  assert.deepEqual(auth(await call('update', 'create', {}, parent)).policies, ['a', 'b', 'default']);
  await assert.rejects(call('update', 'create', { policies: ['c'] }, parent), invalid('child policies must be subset of parent'));
  await assert.rejects(call('update', 'create', { no_parent: true }, parent), invalid('root or sudo privileges required to create orphan token'));
  await assert.rejects(call('update', 'create', { id: 'custom' }, parent), invalid('root or sudo privileges required to specify token id'));
  await assert.rejects(call('update', 'create', { period: '1h' }, parent), invalid('root or sudo privileges required to create periodic token'));
  await assert.rejects(call('update', 'create', { policies: ['root'] }, parent), InvalidRequest);
  const orphan = auth(await call('update', 'create-orphan', {}, parent));
  assert.equal(orphan.orphan, true);
});

test('create: root child of root never expires and is not renewable; custom ids are checked', async () => {
  const { call, auth } = await setup();
  const r = auth(await call('update', 'create', { policies: ['root'], id: 'my-root' }));
  assert.equal(r.client_token, 'my-root');
  assert.equal(r.lease_duration, 0);
  assert.equal(r.renewable, false);
  const look = await call('read', 'lookup-self', {}, 'my-root');
  assert.equal(look.data?.expire_time, null);
  assert.equal(look.data?.ttl, 0);
  await assert.rejects(call('update', 'create', { id: 'my-root' }), invalid('cannot create a token with a duplicate ID'));
  await assert.rejects(call('update', 'create', { id: 'hvs.abc' }), InvalidRequest);
  await assert.rejects(call('update', 'create', { id: 'a.b' }), InvalidRequest);
  await assert.rejects(call('update', 'renew-self', {}, 'my-root'), invalid('lease is not renewable'));
});

test('create: ttl is clamped to the mount max and explicit_max_ttl', async () => {
  const { call, auth } = await setup();
  const long = await call('update', 'create', { ttl: '10h' });
  assert.equal(auth(long).lease_duration, 7200);
  assert.ok(long.warnings?.some((w) => w.includes('capped')));
  assert.equal(auth(await call('update', 'create', { ttl: '1h', explicit_max_ttl: '10m' })).lease_duration, 600);
});

test('lookup: fields for a token, the caller, and by accessor (id empty); unknown token → 403 bad token', async () => {
  const { call, auth, clock } = await setup();
  const child = auth(await call('update', 'create', { ttl: 600, meta: { k: 'v' } }));
  clock.now += 100;
  const data = (await call('update', 'lookup', { token: child.client_token })).data!;
  assert.equal(data.id, child.client_token);
  assert.equal(data.accessor, child.accessor);
  assert.equal(data.ttl, 500);
  assert.equal(data.creation_ttl, 600);
  assert.equal(data.expire_time, new Date((1_700_000_000 + 600) * 1000).toISOString().replace('.000Z', 'Z'));
  assert.equal(data.issue_time, '2023-11-14T22:13:20Z');
  assert.equal(data.renewable, true);
  assert.equal(data.orphan, false);
  assert.deepEqual(data.meta, { k: 'v' });
  assert.equal(data.type, 'service');
  const byAccessor = (await call('update', 'lookup-accessor', { accessor: child.accessor })).data!;
  assert.equal(byAccessor.id, '');
  assert.equal(byAccessor.accessor, child.accessor);
  const self = (await call('read', 'lookup', {}, child.client_token)).data!;
  assert.equal(self.id, child.client_token);
  await assert.rejects(call('update', 'lookup', { token: 'hvs.nope' }), (e: unknown) => e instanceof PermissionDenied && e.message === 'bad token');
  await assert.rejects(call('update', 'lookup-accessor', { accessor: 'nope' }), invalid('invalid accessor'));
});

test('renew: increment, capped by explicit max; renew-accessor hides the token', async () => {
  const { call, auth, clock } = await setup();
  const t = auth(await call('update', 'create', { ttl: 60, explicit_max_ttl: 300 }));
  clock.now += 50;
  const r = auth(await call('update', 'renew', { token: t.client_token, increment: 100 }));
  assert.equal(r.lease_duration, 100);
  assert.equal(r.client_token, t.client_token);
  clock.now += 90; // 140 s since creation, 160 left to explicit max
  const capped = await call('update', 'renew-accessor', { accessor: t.accessor, increment: 1000 });
  assert.equal(auth(capped).lease_duration, 160);
  assert.equal(auth(capped).client_token, '');
  const look = (await call('update', 'lookup', { token: t.client_token })).data!;
  assert.equal(look.last_renewal_time, clock.now);
  await assert.rejects(call('update', 'renew', { token: 'hvs.nope' }), invalid('token not found'));
  await assert.rejects(call('update', 'renew-accessor', { accessor: 'nope' }), invalid('invalid accessor'));
});

// Known attack: renewing with 1 s, 0 s and less than 0 s left to the max TTL must never produce a
// token that never expires.
for (const [label, remaining] of [['1 s', 1], ['0', 0], ['negative', -30]] as const) {
  test(`renew with ${label} left to the max TTL: ${remaining > 0 ? 'capped' : 'refused'}, never non-expiring`, async () => {
    const limits = { defaultTtl: 3600, maxTtl: 7200 };
    const { call, auth, clock, tokens } = await setup(limits);
    const t = auth(await call('update', 'create', { ttl: 3600 }));
    // The operator lowers the max TTL (tune) while the token is still valid.
    clock.now += 3000;
    limits.maxTtl = 3000 + remaining;
    if (remaining > 0) {
      const r = auth(await call('update', 'renew', { token: t.client_token, increment: 3600 }));
      assert.equal(r.lease_duration, remaining);
    } else {
      await assert.rejects(call('update', 'renew', { token: t.client_token, increment: 3600 }), invalid('past the max TTL, cannot renew'));
    }
    const entry = await tokens.lookup(t.client_token);
    assert.ok(entry, 'the token is still valid until its old expiry');
    assert.notEqual(entry.expireTime, 0);
    assert.ok(entry.expireTime <= clock.now + Math.max(remaining, 600));
    clock.now += 3600;
    assert.equal(await tokens.lookup(t.client_token), undefined, 'and it does expire');
  });
}

test('periodic tokens renew back to their period, past any ttl', async () => {
  const { call, auth, clock } = await setup();
  const t = auth(await call('update', 'create', { period: 600 }));
  assert.equal(t.lease_duration, 600);
  for (let i = 0; i < 20; i++) {
    clock.now += 500;
    assert.equal(auth(await call('update', 'renew', { token: t.client_token, increment: 5 })).lease_duration, 600);
  }
});

test('revoke cascades; revoke-orphan keeps children; revoke-accessor; unknown tokens are fine', async () => {
  const { call, auth, tokens } = await setup();
  const parent = auth(await call('update', 'create', {})).client_token;
  const child = auth(await call('update', 'create', {}, parent)).client_token;
  const grandchild = auth(await call('update', 'create', {}, child)).client_token;
  assert.equal(await call('update', 'revoke', { token: parent }).then((r) => r.mintedAuth), undefined);
  for (const t of [parent, child, grandchild]) assert.equal(await tokens.lookup(t), undefined);

  const p2 = auth(await call('update', 'create', {})).client_token;
  const c2 = auth(await call('update', 'create', {}, p2)).client_token;
  await call('update', 'revoke-orphan', { token: p2 });
  assert.equal(await tokens.lookup(p2), undefined);
  assert.equal((await tokens.lookup(c2))?.parent, '');
  await assert.rejects(call('update', 'revoke-orphan', { token: 'hvs.nope' }), invalid('token to revoke not found'));

  const viaAccessor = auth(await call('update', 'create', {}));
  await call('update', 'revoke-accessor', { accessor: viaAccessor.accessor });
  assert.equal(await tokens.lookup(viaAccessor.client_token), undefined);
  assert.deepEqual((await call('update', 'revoke-accessor', { accessor: 'nope' })).warnings, ['No token found with this accessor']);
  await call('update', 'revoke', { token: 'hvs.nope' });
  await call('update', 'revoke-self', {}, c2);
  assert.equal(await tokens.lookup(c2), undefined);
});

test('a restricted-use token cannot create children', async () => {
  const { call, auth } = await setup();
  const t = auth(await call('update', 'create', { num_uses: 5 })).client_token;
  await assert.rejects(call('update', 'create', {}, t), invalid('restricted use token cannot generate child tokens'));
});

test('roles: CRUD, list, policy rules, orphan, period, path suffix, batch constraints', async () => {
  const { call, auth } = await setup();
  assert.equal(await call('create', 'roles/ops', { allowed_policies: 'a,b', orphan: true, token_period: '10m', path_suffix: 'v1' }).then((r) => r.data), undefined);
  const role = (await call('read', 'roles/ops', {})).data!;
  assert.deepEqual(role.allowed_policies, ['a', 'b']);
  assert.equal(role.orphan, true);
  assert.equal(role.token_period, 600);
  assert.equal(role.token_type, 'default-service');
  assert.deepEqual((await call('list', 'roles/', {})).data?.keys, ['ops']);

  const t = auth(await call('update', 'create/ops', {}));
  assert.deepEqual(t.policies, ['a', 'b', 'default']);
  assert.equal(t.orphan, true);
  assert.equal(t.lease_duration, 600);
  const look = (await call('update', 'lookup', { token: t.client_token })).data!;
  assert.equal(look.path, 'auth/token/create/ops/v1');
  assert.equal(look.role, 'ops');
  assert.equal(look.period, 600);
  await assert.rejects(call('update', 'create/ops', { policies: ['c'] }), InvalidRequest);
  await assert.rejects(call('update', 'create/nope', {}), invalid('unknown role'));

  await call('create', 'roles/deny', { disallowed_policies: 'secret' });
  await assert.rejects(call('update', 'create/deny', { policies: ['secret'] }), invalid('token policy is disallowed by this role'));

  await call('update', 'roles/ops', { renewable: false });
  assert.equal((await call('read', 'roles/ops', {})).data?.renewable, false);
  assert.deepEqual((await call('read', 'roles/ops', {})).data?.allowed_policies, ['a', 'b'], 'update keeps other fields');

  await assert.rejects(call('create', 'roles/b1', { token_type: 'batch' }), InvalidRequest);
  await assert.rejects(call('create', 'roles/b1', { token_type: 'weird' }), invalid("invalid 'token_type' value"));
  await call('create', 'roles/b1', { token_type: 'batch', orphan: true, renewable: false });
  assert.match(auth(await call('update', 'create/b1', { policies: ['a'] })).client_token, /^hvb\./);

  await call('delete', 'roles/ops', {});
  assert.equal(await call('read', 'roles/ops', {}).then((r) => r.data), undefined);
});

test('batch tokens: hvb., lookup works, cannot be renewed, revoked, or be parents', async () => {
  const { call, auth } = await setup();
  const b = auth(await call('update', 'create', { type: 'batch', policies: ['a'], ttl: 300 }));
  assert.match(b.client_token, /^hvb\./);
  assert.equal(b.accessor, '');
  assert.equal(b.renewable, false);
  assert.equal(b.token_type, 'batch');
  const look = (await call('update', 'lookup', { token: b.client_token })).data!;
  assert.equal(look.type, 'batch');
  assert.deepEqual(look.policies, ['a', 'default']);
  assert.equal(look.ttl, 300);
  const self = (await call('read', 'lookup-self', {}, b.client_token)).data!;
  assert.equal(self.id, b.client_token);
  await assert.rejects(call('update', 'renew', { token: b.client_token }), invalid('batch tokens cannot be renewed'));
  await assert.rejects(call('update', 'revoke', { token: b.client_token }), invalid('batch tokens cannot be revoked'));
  await assert.rejects(call('update', 'create', {}, b.client_token), invalid('batch tokens cannot create more tokens'));
  await assert.rejects(call('update', 'create', { type: 'batch', num_uses: 2 }), invalid('batch tokens cannot have "num_uses" set'));
  await assert.rejects(call('update', 'create', { type: 'batch', policies: ['root'] }), invalid('batch tokens cannot be root tokens'));
  await assert.rejects(call('update', 'create', { type: 'nope' }), invalid("invalid 'token_type' value"));
});

test('accessors list and tidy', async () => {
  const { call, auth, root } = await setup();
  const t = auth(await call('update', 'create', {}));
  const keys = (await call('list', 'accessors/', {})).data?.keys as string[];
  assert.deepEqual(new Set(keys), new Set([root.entry.accessor, t.accessor]));
  const tidy = await call('update', 'tidy', {});
  assert.equal(tidy.statusCode, 202);
  assert.ok(tidy.warnings?.[0].startsWith('Tidy operation successfully started'));
});
