/**
 * GET sys/leases/count and GET sys/leases (type=irrevocable): leases whose revocation failed,
 * made by a real in-process secrets backend whose revocations fail on demand.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer, type DevServer } from './support/server.js';
import { mountLeaseBackend, newLeaseState, type LeaseBackendState } from './leases-support.js';

describe('irrevocable leases', () => {
  let dev: DevServer;
  let state: LeaseBackendState;
  let accessor: string;
  before(async () => {
    dev = await startDevServer();
    state = newLeaseState();
    await mountLeaseBackend(dev.server.composed, state);
    accessor = (await dev.api.call('GET', 'sys/mounts')).json.data['leasetest/'].accessor;
  });
  after(() => dev.close());

  const issue = async (role: string, ttl: number): Promise<string> => {
    const res = await dev.api.call('GET', `leasetest/creds/${role}?ttl=${ttl}`);
    assert.equal(res.status, 200, res.text);
    return res.json.lease_id;
  };

  it('none at first; failed revocations are counted per mount and listed soonest expiry first', async () => {
    assert.deepEqual((await dev.api.call('GET', 'sys/leases/count?type=irrevocable')).json.data, { lease_count: 0, counts: {} });
    assert.deepEqual((await dev.api.call('GET', 'sys/leases?type=irrevocable')).json.data, { lease_count: 0, leases: [] });

    const later = await issue('stuck', 3600);
    const sooner = await issue('stuck', 1800);
    const fine = await issue('fine', 3600);
    state.failNext = 1_000; // every retry fails too, however slow this machine is
    for (const id of [later, sooner]) {
      const res = await dev.api.call('PUT', 'sys/leases/revoke', { lease_id: id });
      assert.equal(res.status, 502, res.text);
    }

    const count = await dev.api.call('GET', 'sys/leases/count?type=irrevocable');
    assert.equal(count.status, 200, count.text);
    assert.deepEqual(count.json.data, { lease_count: 2, counts: { [accessor]: 2 } });
    const list = await dev.api.call('GET', 'sys/leases?type=IRREVOCABLE&limit=none');
    assert.deepEqual(list.json.data, {
      lease_count: 2,
      leases: [sooner, later].map((id) => ({ lease_id: id, mount_id: accessor, error: 'test downstream refused the revocation' })),
    });
    const limited = await dev.api.call('GET', 'sys/leases?type=irrevocable&limit=1');
    assert.deepEqual(limited.json.data.leases.map((l: { lease_id: string }) => l.lease_id), [sooner]);
    assert.equal(limited.json.warnings.length, 1);
    assert.ok(!JSON.stringify(list.json).includes(fine));

    const forced = await dev.api.call('PUT', 'sys/leases/revoke-force/leasetest/creds/stuck');
    assert.equal(forced.status, 204, forced.text);
    state.failNext = 0;
    assert.equal((await dev.api.call('GET', 'sys/leases/count?type=irrevocable')).json.data.lease_count, 0);
  });

  it('bad type or limit is a 400; listing needs sudo, counting does not', async () => {
    for (const path of ['sys/leases/count', 'sys/leases/count?type=expired', 'sys/leases', 'sys/leases?type=irrevocable&limit=0', 'sys/leases?type=irrevocable&limit=ten']) {
      const res = await dev.api.call('GET', path);
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.equal(res.json.errors.length, 1);
    }
    const policy = 'path "sys/leases" { capabilities = ["read"] }\npath "sys/leases/count" { capabilities = ["read"] }';
    assert.equal((await dev.api.call('PUT', 'sys/policies/acl/lease-reader', { policy })).status, 204);
    const { id } = await dev.server.composed.core.tokens.create({
      parent: '', policies: ['default', 'lease-reader'], path: 'auth/token/create', displayName: 'reader', ttl: 600, renewable: false,
    });
    const headers = { 'X-Vault-Token': id };
    assert.equal((await dev.api.call('GET', 'sys/leases/count?type=irrevocable', undefined, headers)).status, 200);
    assert.equal((await dev.api.call('GET', 'sys/leases?type=irrevocable', undefined, headers)).status, 403);
  });
});
