/**
 * Leases across seal/unseal and restarts: a durable node keeps them (and revokes what fell due
 * while it was down); 100,000 leases are restored in the background without holding up unseal.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer, startDurableServer } from './support/server.js';
import { mountLeaseBackend, newLeaseState, registerLeaseBackend, waitFor } from './leases-support.js';
import type { LogicalRequest } from '../src/framework/logical.js';

describe('lease restore', () => {
  it('a durable node keeps leases across a restart and revokes what fell due meanwhile', async () => {
    const first = await startDurableServer();
    const state = newLeaseState();
    let unsealKey = '';
    let rootToken = '';
    try {
      const init = await first.api.call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
      assert.equal(init.status, 200, init.text);
      unsealKey = init.json.keys_base64[0];
      rootToken = init.json.root_token;
      const unseal = await first.api.call('PUT', 'sys/unseal', { key: unsealKey });
      assert.equal(unseal.json.sealed, false, unseal.text);
      first.api.token = rootToken;
      await mountLeaseBackend(first.server.composed, state);
      const long = await first.api.call('GET', 'leasetest/creds/keep?ttl=3600');
      const short = await first.api.call('GET', 'leasetest/creds/brief?ttl=1');
      assert.equal(long.status, 200, long.text);
      assert.equal(short.status, 200, short.text);
      await first.close();
      await new Promise((resolve) => setTimeout(resolve, 1200)); // the short lease falls due while down
      assert.deepEqual(state.revoked, []);

      const second = await startDurableServer(first.dataDir);
      try {
        const after = newLeaseState();
        registerLeaseBackend(second.server.composed, after); // the mount table names `leasetest`
        const again = await second.api.call('PUT', 'sys/unseal', { key: unsealKey });
        assert.equal(again.json.sealed, false, again.text);
        second.api.token = rootToken;
        await second.server.composed.expiration.restored;
        await waitFor(() => after.revoked.includes(short.json.data.username), 'past-due lease revoked after restart');
        const looked = await second.api.call('PUT', 'sys/leases/lookup', { lease_id: long.json.lease_id });
        assert.equal(looked.status, 200, looked.text);
        assert.equal(looked.json.data.id, long.json.lease_id);
        const revoked = await second.api.call('PUT', 'sys/leases/revoke', { lease_id: long.json.lease_id });
        assert.equal(revoked.status, 204);
        assert.ok(after.revoked.includes(long.json.data.username));
      } finally {
        await second.close();
      }
    } finally {
      await first.close().catch(() => {});
    }
  });

  it('100,000 leases: unseal returns before they are restored and requests are served meanwhile', async () => {
    const dev = await startDevServer();
    try {
      const { composed } = dev.server;
      const state = newLeaseState();
      await mountLeaseBackend(composed, state);
      const mount = composed.mounts.find('mounts', 'leasetest/')!;
      const req = { path: 'leasetest/creds/bulk' } as LogicalRequest;
      const total = 100_000;
      let firstLease = '';
      for (let i = 0; i < total; i += 1000) {
        const batch = await Promise.all(Array.from({ length: 1000 }, (_, j) => composed.expiration.registerSecret(req, {
          secret: { ttlSeconds: 3600, renewable: true, internal: { name: `bulk-${i + j}` }, type: 'cred' },
        }, mount)));
        firstLease ||= batch[0].leaseId;
      }

      const sealed = await dev.api.call('PUT', 'sys/seal');
      assert.equal(sealed.status, 204, sealed.text);
      assert.equal(composed.expiration.scheduledCount(), 0);
      const unseal = await dev.api.call('PUT', 'sys/unseal', { key: dev.unsealKey });
      assert.equal(unseal.json.sealed, false);
      const atUnseal = composed.expiration.restoreState();
      assert.equal(atUnseal.done, false, 'unseal waited for the restore');

      const looked = await dev.api.call('PUT', 'sys/leases/lookup', { lease_id: firstLease });
      const whileServing = composed.expiration.restoreState();
      assert.equal(looked.status, 200, looked.text);
      assert.equal(whileServing.done, false, 'the request was answered only after the restore');
      assert.ok(whileServing.restored < total);

      await composed.expiration.restored;
      assert.deepEqual(composed.expiration.restoreState(), { done: true, restored: total, total });
      assert.equal(composed.expiration.scheduledCount(), total);
      assert.deepEqual(state.revoked, []);
    } finally {
      await dev.close();
    }
  });
});
