import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEmptyResponse, responseEnvelope, rfc3339Nano, wrappedEnvelope } from './serialize.js';

test('rfc3339Nano drops trailing zeros of the fraction, as Go does', () => {
  assert.equal(rfc3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), '2024-01-02T03:04:05.678Z');
  assert.equal(rfc3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5, 120)), '2024-01-02T03:04:05.12Z');
  assert.equal(rfc3339Nano(Date.UTC(2024, 0, 2, 3, 4, 5, 0)), '2024-01-02T03:04:05Z');
});

test('responseEnvelope renders Vault\'s field set and order', () => {
  const body = responseEnvelope('req-1', {
    data: { a: 1 }, leaseId: 'kv/x/1', secret: { ttlSeconds: 60, renewable: true, internal: {}, type: 't' },
    warnings: [], mintedAuth: { client_token: 'x' },
  });
  assert.deepEqual(Object.keys(body), ['request_id', 'lease_id', 'renewable', 'lease_duration', 'data', 'wrap_info', 'warnings', 'auth']);
  assert.deepEqual(body, {
    request_id: 'req-1', lease_id: 'kv/x/1', renewable: true, lease_duration: 60, data: { a: 1 },
    wrap_info: null, warnings: null, auth: { client_token: 'x' },
  });
  assert.deepEqual(responseEnvelope('r', {}), {
    request_id: 'r', lease_id: '', renewable: false, lease_duration: 0, data: null, wrap_info: null, warnings: null, auth: null,
  });
});

test('wrappedEnvelope: empty request_id, only wrap_info, wrapped_accessor only when set', () => {
  const info = { token: 't', accessor: 'a', ttl: 60, creation_time: 'now', creation_path: 'p' };
  const body = wrappedEnvelope(info, ['w']);
  assert.deepEqual(body, {
    request_id: '', lease_id: '', renewable: false, lease_duration: 0, data: null,
    wrap_info: { token: 't', accessor: 'a', ttl: 60, creation_time: 'now', creation_path: 'p' }, warnings: ['w'], auth: null,
  });
  assert.equal((wrappedEnvelope({ ...info, wrapped_accessor: 'wa' }).wrap_info as Record<string, unknown>).wrapped_accessor, 'wa');
  assert.equal(wrappedEnvelope(info, []).warnings, null);
});

test('isEmptyResponse', () => {
  assert.equal(isEmptyResponse({}), true);
  assert.equal(isEmptyResponse({ warnings: [] }), true);
  assert.equal(isEmptyResponse({ data: {} }), false);
  assert.equal(isEmptyResponse({ warnings: ['x'] }), false);
  assert.equal(isEmptyResponse({ mintedAuth: {} }), false);
});
