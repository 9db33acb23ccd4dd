/**
 * Leases over HTTP against a real dev server: a test secrets engine hands out leased secrets;
 * sys/leases/* (and Vault's legacy sys/renew, sys/revoke*) manage them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer, type DevServer } from './support/server.js';
import { mountLeaseBackend, newLeaseState, waitFor, type LeaseBackendState } from './leases-support.js';

describe('leases over HTTP', () => {
  let dev: DevServer;
  let state: LeaseBackendState;

  before(async () => {
    dev = await startDevServer();
    state = newLeaseState();
    await mountLeaseBackend(dev.server.composed, state);
  });
  after(async () => {
    await dev?.close();
  });

  async function issue(role = 'ro', query = ''): Promise<{ leaseId: string; name: string; body: any }> {
    const res = await dev.api.call('GET', `leasetest/creds/${role}${query}`);
    assert.equal(res.status, 200, res.text);
    return { leaseId: res.json.lease_id, name: res.json.data.username, body: res.json };
  }

  const lookup = (leaseId: string) => dev.api.call('PUT', 'sys/leases/lookup', { lease_id: leaseId });

  it('a leased read gets a Vault-shaped lease id, and lookup describes it', async () => {
    const { leaseId, body } = await issue('ro', '?ttl=600');
    assert.match(leaseId, /^leasetest\/creds\/ro\/[A-Za-z0-9]{24}$/);
    assert.equal(body.lease_duration, 600);
    assert.equal(body.renewable, true);
    const res = await lookup(leaseId);
    assert.equal(res.status, 200);
    const data = res.json.data;
    assert.equal(data.id, leaseId);
    assert.equal(data.renewable, true);
    assert.equal(data.last_renewal, null);
    assert.ok(data.ttl > 590 && data.ttl <= 600);
    assert.ok(!Number.isNaN(Date.parse(data.issue_time)));
    assert.equal(Date.parse(data.expire_time) - Date.parse(data.issue_time), 600_000);
  });

  it('TTLs are clamped to the mount max', async () => {
    const mount = dev.server.composed.mounts.find('mounts', 'leasetest/')!;
    mount.entry.config.maxLeaseTtl = 120;
    try {
      const { body } = await issue('ro', '?ttl=100000');
      assert.equal(body.lease_duration, 120);
      assert.equal(body.warnings.length, 1);
    } finally {
      mount.entry.config.maxLeaseTtl = 0;
    }
  });

  it('lists lease ids under a prefix (sudo path) with ?list=true', async () => {
    const { leaseId } = await issue('lister');
    const res = await dev.api.call('GET', 'sys/leases/lookup/leasetest/creds/lister?list=true');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.data.keys, [leaseId.split('/').pop()]);
    const top = await dev.api.call('GET', 'sys/leases/lookup/leasetest/creds?list=true');
    assert.ok(top.json.data.keys.includes('lister/'));
    const empty = await dev.api.call('GET', 'sys/leases/lookup/nothing/here?list=true');
    assert.equal(empty.status, 404);
  });

  it('unknown or missing lease ids are 400s with Vault\'s messages', async () => {
    const missing = await lookup('leasetest/creds/ro/doesnotexist');
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json.errors, ['invalid lease']);
    const noId = await dev.api.call('PUT', 'sys/leases/lookup', {});
    assert.equal(noId.status, 400);
    assert.deepEqual(noId.json.errors, ['lease_id must be specified']);
    const renew = await dev.api.call('PUT', 'sys/leases/renew', { lease_id: 'leasetest/creds/ro/doesnotexist' });
    assert.equal(renew.status, 400);
    assert.deepEqual(renew.json.errors, ['lease not found']);
    const escape = await lookup('../../sys/token/salt');
    assert.equal(escape.status, 400);
  });

  it('renews through sys/leases/renew, the URL form (body wins) and legacy sys/renew', async () => {
    const { leaseId, name } = await issue('renew', '?ttl=60');
    const res = await dev.api.call('PUT', 'sys/leases/renew', { lease_id: leaseId, increment: '5m' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.lease_id, leaseId);
    assert.equal(res.json.renewable, true);
    assert.equal(res.json.lease_duration, 300);
    assert.deepEqual(state.renewed, [name]);

    const other = await issue('renew', '?ttl=60');
    const viaUrl = await dev.api.call('PUT', `sys/leases/renew/${other.leaseId}`, { lease_id: leaseId, increment: 120 });
    assert.equal(viaUrl.json.lease_id, leaseId);
    assert.equal(viaUrl.json.lease_duration, 120);

    const legacy = await dev.api.call('PUT', `sys/renew/${other.leaseId}`, { increment: 90 });
    assert.equal(legacy.status, 200, legacy.text);
    assert.equal(legacy.json.lease_id, other.leaseId);
    assert.equal(legacy.json.lease_duration, 90);
    assert.notEqual((await lookup(other.leaseId)).json.data.last_renewal, null);
    // Renewing does not create a second lease.
    const keys = (await dev.api.call('GET', 'sys/leases/lookup/leasetest/creds/renew?list=1')).json.data.keys;
    assert.equal(keys.length, 2);
  });

  it('a non-renewable lease refuses renewal', async () => {
    const { leaseId } = await issue('fixed', '?renewable=false');
    const res = await dev.api.call('PUT', 'sys/leases/renew', { lease_id: leaseId });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json.errors, ['lease is not renewable']);
  });

  it('revokes synchronously (204), lazily (202), and through the legacy sys/revoke', async () => {
    const a = await issue('rev');
    const res = await dev.api.call('PUT', 'sys/leases/revoke', { lease_id: a.leaseId });
    assert.equal(res.status, 204);
    assert.ok(state.revoked.includes(a.name));
    assert.equal((await lookup(a.leaseId)).status, 400);

    const b = await issue('rev');
    const lazy = await dev.api.call('PUT', `sys/leases/revoke/${b.leaseId}`, { sync: false });
    assert.equal(lazy.status, 202);
    await waitFor(() => state.revoked.includes(b.name), 'lazy revocation');

    const c = await issue('rev');
    const legacy = await dev.api.call('PUT', `sys/revoke/${c.leaseId}`);
    assert.equal(legacy.status, 204);
    assert.ok(state.revoked.includes(c.name));
  });

  it('revoke-prefix (node-vault\'s PUT sys/revoke-prefix/x) and revoke-force', async () => {
    const a = await issue('pfx');
    const b = await issue('pfx');
    const keep = await issue('pfxkeep');
    const res = await dev.api.call('PUT', 'sys/revoke-prefix/leasetest/creds/pfx');
    assert.equal(res.status, 204);
    assert.ok(state.revoked.includes(a.name) && state.revoked.includes(b.name));
    assert.equal((await lookup(keep.leaseId)).status, 200); // whole segments only

    const stuck = await issue('stuck');
    state.failNext = 100;
    const failed = await dev.api.call('PUT', 'sys/leases/revoke-prefix/leasetest/creds/stuck');
    assert.equal(failed.status, 502);
    const info = (await lookup(stuck.leaseId)).json.data;
    assert.equal(info.revoke_error, 'test downstream refused the revocation');
    assert.equal(info.renewable, false);
    const forced = await dev.api.call('PUT', 'sys/leases/revoke-force/leasetest/creds/stuck');
    assert.equal(forced.status, 204);
    assert.equal((await lookup(stuck.leaseId)).status, 400);
    assert.ok(!state.revoked.includes(stuck.name));
    state.failNext = 0;
  });

  it('a lease expires on time and the backend revokes it', async () => {
    const { leaseId, name } = await issue('short', '?ttl=1');
    await waitFor(() => state.revoked.includes(name), 'expiry');
    assert.equal((await lookup(leaseId)).status, 400);
  });

  it('a failed expiry revocation is retried until the backend accepts it', async () => {
    const { leaseId, name } = await issue('flaky', '?ttl=1');
    state.failNext = 1;
    await waitFor(async () => (await lookup(leaseId)).json?.data?.revoke_error !== undefined, 'first failure recorded');
    assert.ok(!state.revoked.includes(name));
    await waitFor(() => state.revoked.includes(name), 'retry succeeds', 30_000);
    assert.equal((await lookup(leaseId)).status, 400);
  });

  it('revoking a token revokes the leases created with it', async () => {
    const { composed } = dev.server;
    const { id, entry } = await composed.core.tokens.create({
      parent: '', policies: ['root'], path: 'auth/token/create', displayName: 'leaser', ttl: 3600, renewable: true,
    });
    await composed.expiration.registerToken(entry);
    const res = await dev.api.call('GET', 'leasetest/creds/bytoken', undefined, { 'X-Vault-Token': id });
    assert.equal(res.status, 200);
    const name = res.json.data.username;
    assert.equal((await lookup(`auth/token/create/${entry.hashedId}`)).status, 200);
    await composed.core.tokens.revokeTree(entry);
    await waitFor(() => state.revoked.includes(name), 'token leases revoked');
    assert.equal((await lookup(res.json.lease_id)).status, 400);
    assert.equal((await lookup(`auth/token/create/${entry.hashedId}`)).status, 400);
  });

  it('an expiring token is revoked at its expire time', async () => {
    const { composed } = dev.server;
    const { id, entry } = await composed.core.tokens.create({
      parent: '', policies: ['root'], path: 'auth/token/create', displayName: 'brief', ttl: 1, renewable: false,
    });
    await composed.expiration.registerToken(entry);
    const res = await dev.api.call('GET', 'leasetest/creds/brief', undefined, { 'X-Vault-Token': id });
    const name = res.json.data.username;
    await waitFor(async () => (await composed.core.tokens.lookupHashed(entry.hashedId)) === undefined, 'token revoked');
    await waitFor(() => state.revoked.includes(name), 'its lease revoked');
  });

  it('unmounting revokes the mount\'s leases', async () => {
    const { composed } = dev.server;
    await composed.mounts.mount((await import('../src/core/mounts/manager.js')).newMountEntry('mounts', 'gone/', 'leasetest'));
    const res = await dev.api.call('GET', 'gone/creds/x');
    const name = res.json.data.username;
    await composed.mounts.unmount('mounts', 'gone/');
    assert.ok(state.revoked.includes(name));
    assert.equal((await lookup(res.json.lease_id)).status, 400);
  });

  it('listing and prefix revocation need sudo', async () => {
    const policy = 'path "sys/leases/*" { capabilities = ["update", "list"] }\npath "sys/revoke-prefix/*" { capabilities = ["update"] }';
    const put = await dev.api.call('PUT', 'sys/policies/acl/leaser', { policy });
    assert.equal(put.status, 204, put.text);
    const { id } = await dev.server.composed.core.tokens.create({
      parent: '', policies: ['default', 'leaser'], path: 'auth/token/create', displayName: 'nosudo', ttl: 600, renewable: false,
    });
    const listed = await dev.api.call('GET', 'sys/leases/lookup/leasetest/creds?list=true', undefined, { 'X-Vault-Token': id });
    assert.equal(listed.status, 403);
    const prefix = await dev.api.call('PUT', 'sys/revoke-prefix/leasetest/creds/none', undefined, { 'X-Vault-Token': id });
    assert.equal(prefix.status, 403);
    const { leaseId } = await issue('sudo');
    const looked = await dev.api.call('PUT', 'sys/leases/lookup', { lease_id: leaseId }, { 'X-Vault-Token': id });
    assert.equal(looked.status, 200); // plain lookup needs no sudo
  });

  it('tidy answers 202 with a warning', async () => {
    const res = await dev.api.call('PUT', 'sys/leases/tidy');
    assert.equal(res.status, 202);
    assert.equal(res.json.warnings.length, 1);
  });
});
