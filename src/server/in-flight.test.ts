import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDispatcher } from '../framework/backend.js';
import type { LogicalRequest } from '../framework/logical.js';
import type { SysContext } from '../core/sys/context.js';
import { inFlightPaths } from '../core/sys/in-flight.js';
import { createInFlightTracker } from './in-flight.js';

test('a request is listed from arrival until its response ends; the query string is not kept', async () => {
  let ids = 0;
  const tracker = createInFlightTracker({ id: () => `req-${++ids}`, now: () => new Date('2026-11-24T20:00:00Z') });
  let release!: () => Promise<void>;
  const arrived = new Promise<void>((resolve) => {
    const server = createServer(tracker.wrap((_req, res) => {
      resolve();
      // The tracker's own 'close' listener was added first, so it has run when this one does.
      release = () => new Promise((done) => { res.once('close', () => { server.close(); done(); }); res.end('done'); });
    }));
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      request({ host: '127.0.0.1', port, method: 'PUT', path: '/v1/secret/data/x?token=s.secret' }, (res) => res.resume()).end();
    });
  });
  await arrived;

  const sys = createDispatcher(inFlightPaths({ inFlight: tracker } as unknown as SysContext));
  const response = await sys.handle({
    id: 't', operation: 'read', path: 'sys/in-flight-req', mountRelativePath: 'in-flight-req', mountPoint: 'sys/', mountType: 'system',
    mountAccessor: 'system', data: {}, clientToken: '', headers: {}, remoteAddress: '', storage: undefined as never,
  } satisfies LogicalRequest);
  const listed = JSON.parse(String(response.raw!.body));
  assert.deepEqual(Object.keys(listed), ['req-1']);
  assert.equal(listed['req-1'].request_path, '/v1/secret/data/x');
  assert.equal(listed['req-1'].request_method, 'PUT');
  assert.equal(listed['req-1'].start_time, '2026-11-24T20:00:00.000Z');
  assert.match(listed['req-1'].client_remote_address, /^127\.0\.0\.1:\d+$/);
  assert.ok(!response.raw!.body.toString().includes('secret/data/x?'));

  await release();
  assert.deepEqual(tracker.snapshot(), {});
});

test('without a tracker the group has no paths', () => {
  assert.deepEqual(inFlightPaths({} as SysContext).paths, []);
});
