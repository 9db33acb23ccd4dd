import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInmemStorage } from '../../storage/inmem.js';
import { InvalidRequest, UpstreamError } from '../../errors.js';
import { createDispatcher, type Backend } from '../../framework/backend.js';
import type { LogicalRequest, LogicalResponse, SecretLease } from '../../framework/logical.js';
import type { LiveMount } from '../mounts/manager.js';
import { newMountEntry } from '../mounts/manager.js';
import type { TokenEntry } from '../tokens/entry.js';
import { createExpirationManager, type ExpirationDeps } from './manager.js';

/** A backend whose secrets record revocations and can be told to fail the next N. */
function leaseBackend() {
  const state = { revoked: [] as string[], failNext: 0, attempts: 0, renewMax: 0 };
  const backend: Backend = {
    paths: [],
    secrets: {
      cred: {
        async revoke(_req: LogicalRequest, lease: SecretLease) {
          state.attempts++;
          if (state.failNext > 0) {
            state.failNext--;
            throw new UpstreamError('downstream unavailable');
          }
          state.revoked.push(String(lease.internal.name));
        },
        async renew(_req, lease, increment) {
          return { ...lease, ttlSeconds: increment, maxTtlSeconds: state.renewMax || lease.maxTtlSeconds };
        },
      },
    },
  };
  return { backend, state };
}

function liveMount(backend: Backend, storage = createInmemStorage()): LiveMount {
  const entry = newMountEntry('mounts', 'leasetest/', 'leasetest');
  return { entry, prefix: 'leasetest/', dispatcher: createDispatcher(backend), storage };
}

function request(path: string, tokenId = ''): LogicalRequest {
  return {
    id: 'r', operation: 'read', path, mountRelativePath: path.slice('leasetest/'.length), mountPoint: 'leasetest/',
    mountType: 'leasetest', mountAccessor: '', data: {}, clientToken: '', headers: {}, remoteAddress: '',
    storage: createInmemStorage(),
    caller: tokenId ? {
      tokenAccessor: 'a', policies: ['root'], displayName: 'root', entityId: '', metadata: {}, tokenId,
      clientToken: 'x', tokenType: 'service', isRoot: true,
    } : undefined,
  };
}

function secretResponse(name: string, ttlSeconds: number, extra: Partial<SecretLease> = {}): LogicalResponse {
  return { data: { name }, secret: { ttlSeconds, renewable: true, internal: { name }, type: 'cred', ...extra } };
}

function waitFor(check: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = async () => {
      if (await check()) return resolve();
      if (Date.now() - started > 15_000) return reject(new Error(`${what} not reached`));
      setTimeout(() => void tick(), 10);
    };
    void tick();
  });
}

function setup(over: Partial<ExpirationDeps> = {}) {
  const { backend, state } = leaseBackend();
  const mount = liveMount(backend);
  const storage = over.storage ?? createInmemStorage();
  const make = (more: Partial<ExpirationDeps> = {}) => createExpirationManager({
    storage,
    mounts: { byAccessor: (a) => (a === mount.entry.accessor ? mount : undefined) },
    systemLimits: () => ({ defaultTtl: 3600, maxTtl: 7200 }),
    retryBaseMs: 20,
    retryMaxMs: 100,
    ...over,
    ...more,
  });
  return { state, mount, storage, make, manager: make() };
}

function token(hashedId: string, expireTime: number, path = 'auth/token/create'): TokenEntry {
  return {
    v: 1, hashedId, accessor: `acc-${hashedId}`, parent: '', policies: ['default'], path, meta: {}, displayName: 't',
    numUses: 0, creationTime: Math.floor(Date.now() / 1000), ttl: 1, explicitMaxTtl: 0, period: 0, expireTime,
    renewable: true, type: 'service', entityId: '', boundCidrs: [],
  };
}

describe('expiration manager', () => {
  it('registers a lease under "<path>/<24 base62>" with the mount-clamped TTL and looks it up', async () => {
    const { manager, mount } = setup();
    await manager.load();
    mount.entry.config.maxLeaseTtl = 600;
    const response = secretResponse('a', 10_000);
    const { leaseId, ttl } = await manager.registerSecret(request('leasetest/creds/ro'), response, mount);
    assert.match(leaseId, /^leasetest\/creds\/ro\/[A-Za-z0-9]{24}$/);
    assert.equal(ttl, 600);
    assert.equal(response.warnings?.length, 1);
    const info = await manager.lookup(leaseId);
    assert.equal(info?.id, leaseId);
    assert.equal(info?.renewable, true);
    assert.equal(info?.lastRenewal, null);
    assert.ok(info!.ttl >= 599 && info!.ttl <= 600);
    assert.deepEqual(await manager.list('leasetest/creds/ro'), [leaseId.split('/').pop()]);
    assert.deepEqual(await manager.list('leasetest/'), ['creds/']);
    assert.equal(await manager.lookup('leasetest/creds/ro/nope'), undefined);
    assert.equal(await manager.lookup('../x'), undefined);
    await manager.unload();
  });

  it('revokes through the backend when the lease expires', async () => {
    const { manager, mount, state } = setup();
    await manager.load();
    const { leaseId } = await manager.registerSecret(request('leasetest/creds/ro'), secretResponse('short', 1), mount);
    await manager.registerSecret(request('leasetest/creds/ro'), secretResponse('long', 3600), mount);
    await waitFor(() => state.revoked.includes('short'), 'expiry revocation');
    assert.deepEqual(state.revoked, ['short']);
    assert.equal(await manager.lookup(leaseId), undefined);
    assert.equal(manager.scheduledCount(), 1);
    await manager.unload();
  });

  it('renews within the max and refuses unknown, unrenewable and token leases', async () => {
    const { manager, mount } = setup();
    await manager.load();
    const { leaseId } = await manager.registerSecret(request('leasetest/creds/ro'), secretResponse('a', 60), mount);
    const renewed = await manager.renew(leaseId, 120);
    assert.equal(renewed.ttl, 120);
    assert.notEqual((await manager.lookup(leaseId))?.lastRenewal, null);
    const capped = await manager.renew(leaseId, 100_000);
    assert.ok(capped.ttl <= 7200 && capped.ttl >= 7198);
    assert.equal(capped.warnings.length, 1);
    await assert.rejects(manager.renew('leasetest/creds/ro/missing', 10), (e) => e instanceof InvalidRequest && e.message === 'lease not found');
    const fixed = await manager.registerSecret(request('leasetest/creds/ro'), secretResponse('b', 60, { renewable: false }), mount);
    await assert.rejects(manager.renew(fixed.leaseId, 10), (e) => e instanceof InvalidRequest && e.message === 'lease is not renewable');
    await manager.registerToken(token('tok1', Math.floor(Date.now() / 1000) + 600));
    await assert.rejects(manager.renew('auth/token/create/tok1', 10), (e) => e instanceof InvalidRequest && e.message === 'tokens cannot be renewed through this endpoint');
    await manager.unload();
  });

  it('never yields a lease without end when renewed at or past its max (known attack)', async () => {
    let clock = Date.now();
    const { manager, mount } = setup({ now: () => clock });
    await manager.load();
    const issued = clock;
    const { leaseId } = await manager.registerSecret(request('leasetest/creds/ro'), secretResponse('a', 3600), mount);
    // 1 s before the 7200 s max: a 1 s lease.
    clock = issued + 7199_000;
    await manager.renew(leaseId, 3600).catch(() => undefined); // lease expired by the clock: refused
    const entry = await manager.entry(leaseId);
    assert.ok(entry!.expireTime > 0 && entry!.expireTime <= issued + 7200_000);
    // Renew it back to life with the clock just inside the current expiry.
    clock = issued + 3599_000;
    const r1 = await manager.renew(leaseId, 3600);
    assert.equal((await manager.entry(leaseId))!.expireTime, issued + 7199_000);
    assert.equal(r1.ttl, 3600);
    clock = issued + 7198_000;
    const r2 = await manager.renew(leaseId, 3600);
    assert.equal(r2.ttl, 2);
    assert.equal((await manager.entry(leaseId))!.expireTime, issued + 7200_000);
    clock = issued + 7199_000;
    const r3 = await manager.renew(leaseId, 3600);
    assert.equal(r3.ttl, 1);
    assert.equal((await manager.entry(leaseId))!.expireTime, issued + 7200_000);
    clock = issued + 7200_000; // 0 s left
    await assert.rejects(manager.renew(leaseId, 3600), InvalidRequest);
    clock = issued + 7300_000; // negative
    await assert.rejects(manager.renew(leaseId, 3600), InvalidRequest);
    const final = await manager.entry(leaseId);
    assert.equal(final!.expireTime, issued + 7200_000);
    await manager.unload();
  });

  it('a backend max returned on renew cannot extend the max recorded at issue', async () => {
    let clock = Date.now();
    const { manager, mount, state } = setup({ now: () => clock });
    await manager.load();
    const issued = clock;
    const { leaseId } = await manager.registerSecret(request('leasetest/creds/ro'), secretResponse('a', 60, { maxTtlSeconds: 300 }), mount);
    state.renewMax = 100_000;
    clock = issued + 50_000;
    await manager.renew(leaseId, 3600);
    assert.equal((await manager.entry(leaseId))!.expireTime, issued + 300_000);
    await manager.unload();
  });

  it('revokes one lease, a prefix (whole segments only) and by force', async () => {
    const { manager, mount, state } = setup();
    await manager.load();
    const a = await manager.registerSecret(request('leasetest/creds/ro'), secretResponse('a', 3600), mount);
    await manager.registerSecret(request('leasetest/creds/ro'), secretResponse('b', 3600), mount);
    await manager.registerSecret(request('leasetest/creds/rw'), secretResponse('c', 3600), mount);
    await manager.registerSecret(request('leasetest/creds/roo'), secretResponse('d', 3600), mount);
    assert.equal(await manager.revoke(a.leaseId), true);
    assert.equal(await manager.revoke(a.leaseId), false);
    assert.deepEqual(state.revoked, ['a']);
    assert.equal(await manager.revokePrefix('leasetest/creds/ro'), 1);
    assert.deepEqual(state.revoked, ['a', 'b']);
    state.failNext = 1;
    await assert.rejects(manager.revokePrefix('leasetest/creds/rw'), UpstreamError);
    assert.equal((await manager.entry((await manager.list('leasetest/creds/rw')).map((k) => `leasetest/creds/rw/${k}`)[0]))?.revokeAttempts, 1);
    state.failNext = 5;
    assert.equal(await manager.revokePrefix('leasetest/', { force: true }), 2);
    assert.deepEqual(await manager.list('leasetest/'), []);
    assert.deepEqual(state.revoked, ['a', 'b']); // forced: deleted although the backend refused
    await manager.unload();
  });

  it('retries a failed revocation with backoff until it succeeds, keeping count in the entry', async () => {
    const { manager, mount, state } = setup();
    await manager.load();
    const { leaseId } = await manager.registerSecret(request('leasetest/creds/ro'), secretResponse('flaky', 3600), mount);
    state.failNext = 3;
    assert.equal(await manager.revoke(leaseId, { sync: false }), true);
    await waitFor(async () => ((await manager.entry(leaseId))?.revokeAttempts ?? 0) >= 1, 'first failure recorded');
    const failed = await manager.entry(leaseId);
    assert.equal(failed?.revokeError, 'downstream unavailable');
    assert.ok(failed!.nextRetryTime > 0);
    assert.equal((await manager.lookup(leaseId))?.renewable, false);
    await waitFor(() => state.revoked.includes('flaky'), 'eventual revocation');
    assert.equal(state.attempts, 4);
    assert.equal(await manager.entry(leaseId), undefined);
    await manager.unload();
  });

  it('a restart keeps leases, their schedule and pending retries', async () => {
    const { make, mount, state, storage } = setup();
    const first = make({ retryBaseMs: 60_000 });
    await first.load();
    const keep = await first.registerSecret(request('leasetest/creds/ro'), secretResponse('keep', 3600), mount);
    const retry = await first.registerSecret(request('leasetest/creds/ro'), secretResponse('retry', 3600), mount);
    state.failNext = 1;
    await assert.rejects(first.revoke(retry.leaseId), UpstreamError);
    await first.unload();
    // Pretend the retry fell due while the server was down.
    const stored = (await first.entry(retry.leaseId))!;
    assert.equal(stored.revokeAttempts, 1);
    await storage.put(`id/${retry.leaseId}`, Buffer.from(JSON.stringify({ ...stored, nextRetryTime: Date.now() - 1 })));

    const second = make();
    await second.load();
    await second.restored;
    assert.deepEqual(second.restoreState(), { done: true, restored: 2, total: 2 });
    await waitFor(() => state.revoked.includes('retry'), 'retry after restart');
    assert.equal((await second.lookup(keep.leaseId))?.id, keep.leaseId);
    assert.equal(second.scheduledCount(), 1);
    await second.unload();
  });

  it('revoking a token queues every lease created with it and drops its own lease', async () => {
    const revokedTokens: string[] = [];
    const { manager, mount, state } = setup({ revokeToken: async (h) => { revokedTokens.push(h); } });
    await manager.load();
    await manager.registerSecret(request('leasetest/creds/ro', 'tokA'), secretResponse('a1', 3600), mount);
    await manager.registerSecret(request('leasetest/creds/ro', 'tokA'), secretResponse('a2', 3600), mount);
    await manager.registerSecret(request('leasetest/creds/ro', 'tokB'), secretResponse('b1', 3600), mount);
    const tokA = token('tokA', Math.floor(Date.now() / 1000) + 3600);
    await manager.registerToken(tokA);
    assert.ok(await manager.lookup('auth/token/create/tokA'));
    await manager.revokeByToken(tokA);
    await waitFor(() => state.revoked.length === 2, 'token leases revoked');
    assert.deepEqual([...state.revoked].sort(), ['a1', 'a2']);
    assert.equal(await manager.lookup('auth/token/create/tokA'), undefined);
    assert.deepEqual(revokedTokens, []); // the token store is already revoking it
    await manager.unload();
  });

  it('an expiring token is revoked at its expire time; tokens without expiry get no lease', async () => {
    const revokedTokens: string[] = [];
    const { manager } = setup({ revokeToken: async (h) => { revokedTokens.push(h); } });
    await manager.load();
    await manager.registerToken(token('never', 0));
    assert.equal(await manager.lookup('auth/token/create/never'), undefined);
    await manager.registerToken(token('soon', Math.floor(Date.now() / 1000) + 1, 'auth/userpass/login/bob'));
    await waitFor(() => revokedTokens.includes('soon'), 'token expiry');
    assert.equal(await manager.lookup('auth/userpass/login/bob/soon'), undefined);
    await manager.unload();
  });

  it('a token renewed without re-registering is not revoked early', async () => {
    const revokedTokens: string[] = [];
    const later = Math.floor(Date.now() / 1000) + 3600;
    const { manager } = setup({
      revokeToken: async (h) => { revokedTokens.push(h); },
      lookupToken: async (h) => (h === 'renewed' ? token('renewed', later) : undefined),
    });
    await manager.load();
    await manager.registerToken(token('renewed', Math.floor(Date.now() / 1000) + 1));
    await waitFor(async () => (await manager.entry('auth/token/create/renewed'))?.expireTime === later * 1000, 'lease follows the token');
    assert.deepEqual(revokedTokens, []);
    await manager.unload();
  });

  it('tidy queues leases whose token is gone and removes dangling index entries', async () => {
    const { manager, mount, state, storage } = setup({ lookupToken: async (h) => (h === 'alive' ? token('alive', 0) : undefined) });
    await manager.load();
    await manager.registerSecret(request('leasetest/creds/ro', 'alive'), secretResponse('kept', 3600), mount);
    await manager.registerSecret(request('leasetest/creds/ro', 'gone'), secretResponse('orphan', 3600), mount);
    await storage.put('token/alive/dangling', Buffer.from('leasetest/creds/ro/none'));
    const result = await manager.tidy();
    assert.deepEqual(result, { revoked: 1, indexesRemoved: 1 });
    await waitFor(() => state.revoked.includes('orphan'), 'orphan revoked');
    assert.deepEqual(state.revoked, ['orphan']);
    await manager.unload();
  });

  it('restores many leases in the background: load returns first, past-due ones are revoked', async () => {
    const { make, mount, state, storage } = setup();
    const writer = make();
    await writer.load();
    for (let i = 0; i < 3000; i++) await writer.registerSecret(request('leasetest/creds/bulk'), secretResponse(`bulk${i}`, 3600), mount);
    const past = await writer.registerSecret(request('leasetest/creds/past'), secretResponse('past', 3600), mount);
    await writer.unload();
    const entry = (await writer.entry(past.leaseId))!;
    await storage.put(`id/${past.leaseId}`, Buffer.from(JSON.stringify({ ...entry, expireTime: Date.now() - 1 })));

    const reader = make({ restoreBatch: 200 });
    await reader.load();
    assert.equal(reader.restoreState().done, false);
    assert.equal(reader.scheduledCount(), 0);
    await reader.restored;
    assert.deepEqual(reader.restoreState(), { done: true, restored: 3001, total: 3001 });
    await waitFor(() => state.revoked.includes('past'), 'past-due lease revoked');
    assert.deepEqual(state.revoked, ['past']);
    assert.equal(reader.scheduledCount(), 3000);
    await reader.unload();
  });
});
