/** max_request_duration bounds handling, not just receiving: a slow request gets a 503 in time. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer } from './support/server.js';
import { path } from '../src/framework/path.js';
import { newMountEntry } from '../src/core/mounts/manager.js';

test('a request still running at max_request_duration is answered with 503; fast ones are not affected', async () => {
  const dev = await startDevServer({
    config: { listeners: [{ type: 'tcp', address: '127.0.0.1:0', tlsDisable: true, tlsMinVersion: 'tls12', maxRequestSize: 1 << 20, maxRequestDurationSeconds: 1 }] },
  });
  try {
    const composed = dev.server.composed;
    composed.registry.register('mounts', 'slowtest', () => ({
      paths: [path({ pattern: 'wait', operations: { read: async () => { await new Promise((r) => setTimeout(r, 2500)); return { data: { done: true } }; } } })],
    }));
    await composed.mounts.mount(newMountEntry('mounts', 'slow/', 'slowtest'));
    const slow = await dev.api.call('GET', 'slow/wait');
    assert.equal(slow.status, 503);
    assert.deepEqual(slow.json, { errors: ['request exceeded max_request_duration'] });
    assert.equal((await dev.api.call('GET', 'sys/health')).status, 200);
  } finally {
    await dev.close();
  }
});
