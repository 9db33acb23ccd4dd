import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogicalRequest } from '../../framework/logical.js';
import { createEntryFormatter, rfc3339Nano } from './format.js';

const hash = (v: string) => `H(${v})`;
const options = { logRaw: false, hmacAccessor: true, elideListResponses: false };

function request(overrides: Partial<LogicalRequest> = {}): LogicalRequest {
  return {
    id: 'req-1', operation: 'update', path: 'secret/data/a', mountRelativePath: 'data/a', mountPoint: 'secret/', mountType: 'kv',
    mountAccessor: 'kv_123', data: { data: { password: 'p', n: 1 } }, clientToken: 'hvs.root', headers: {},
    remoteAddress: '127.0.0.1', remotePort: 4000, storage: undefined as never,
    caller: {
      tokenAccessor: 'acc', policies: ['root'], displayName: 'root', entityId: '', metadata: {}, tokenId: 'h', clientToken: 'hvs.root',
      tokenType: 'service', isRoot: true,
    },
    ...overrides,
  };
}

test('request entry: Vault field names, omitempty, tokens/accessors/data hashed', () => {
  const entry = createEntryFormatter(hash, options).request({ req: request(), time: 'T' });
  assert.deepEqual(entry, {
    time: 'T',
    type: 'request',
    auth: { client_token: 'H(hvs.root)', accessor: 'H(acc)', display_name: 'root', policies: ['root'], token_policies: ['root'], token_type: 'service' },
    request: {
      id: 'req-1', operation: 'update', mount_point: 'secret/', mount_type: 'kv', mount_accessor: 'kv_123', mount_class: 'secret',
      client_token: 'H(hvs.root)', client_token_accessor: 'H(acc)', namespace: { id: 'root' }, path: 'secret/data/a',
      data: { data: { password: 'H(p)', n: 1 } }, remote_address: '127.0.0.1', remote_port: 4000,
    },
  });
});

test('response entry: minted auth, lease id, wrap info, errors; hmac_accessor=false; log_raw', () => {
  const response = {
    data: { keys: ['a', 'b'] },
    leaseId: 'secret/creds/1',
    mintedAuth: { client_token: 'hvs.child', accessor: 'cacc', policies: ['default'], token_policies: ['default'], lease_duration: 60, token_type: 'service', num_uses: 0 },
    wrapInfo: { token: 'hvs.wrap', accessor: 'wacc', ttl: 30, creation_time: 'C', creation_path: 'p' },
  };
  const f = createEntryFormatter(hash, { ...options, hmacAccessor: false, elideListResponses: true });
  const entry = f.response({ req: request({ operation: 'list', data: {} }), response, time: 'T', error: new Error('boom') }) as any;
  assert.equal(entry.type, 'response');
  assert.equal(entry.error, 'boom');
  assert.deepEqual(entry.response.auth, { client_token: 'H(hvs.child)', accessor: 'cacc', policies: ['default'], token_policies: ['default'], token_type: 'service', token_ttl: 60 });
  assert.deepEqual(entry.response.secret, { lease_id: 'secret/creds/1' });
  assert.deepEqual(entry.response.wrap_info, { ttl: 30, token: 'H(hvs.wrap)', accessor: 'wacc', creation_time: 'C', creation_path: 'p' });
  assert.deepEqual(entry.response.data, { keys: 2 }, 'elided list');
  assert.equal(entry.request.client_token_accessor, 'acc');

  const raw = createEntryFormatter(hash, { ...options, logRaw: true }).response({ req: request(), response, time: 'T' }) as any;
  assert.equal(raw.request.client_token, 'hvs.root');
  assert.equal(raw.response.wrap_info.token, 'hvs.wrap');
  assert.deepEqual(raw.response.data, { keys: ['a', 'b'] });
});

test('raw responses are logged as http_* data, hashed', () => {
  const entry = createEntryFormatter(hash, options).response({
    req: request(), response: { raw: { status: 200, contentType: 'application/json', body: '{"secret":1}' } }, time: 'T',
  }) as any;
  assert.deepEqual(entry.response.data, { http_status_code: 200, http_content_type: 'H(application/json)', http_raw_body: 'H({"secret":1})' });
});

test('RFC3339Nano drops trailing zeros of the fraction like Go', () => {
  assert.equal(rfc3339Nano(new Date('2024-01-02T03:04:05.120Z')), '2024-01-02T03:04:05.12Z');
  assert.equal(rfc3339Nano(new Date('2024-01-02T03:04:05.000Z')), '2024-01-02T03:04:05Z');
});

test('entries serialise with the fields in Vault order, empty ones left out', () => {
  const f = createEntryFormatter(hash, options);
  assert.equal(JSON.stringify(f.request({ req: request({ wrapTtlSeconds: 30 }), time: 'T' })),
    '{"time":"T","type":"request","auth":{"client_token":"H(hvs.root)","accessor":"H(acc)","display_name":"root","policies":["root"],"token_policies":["root"],"token_type":"service"},'
    + '"request":{"id":"req-1","operation":"update","mount_point":"secret/","mount_type":"kv","mount_accessor":"kv_123","mount_class":"secret","client_token":"H(hvs.root)",'
    + '"client_token_accessor":"H(acc)","namespace":{"id":"root"},"path":"secret/data/a","data":{"data":{"password":"H(p)","n":1}},"remote_address":"127.0.0.1","remote_port":4000,"wrap_ttl":30}}');
  const response = {
    data: { empty: '', zero: 0, list: [] },
    warnings: ['w'],
    mintedAuth: { client_token: 'hvs.child', accessor: 'cacc', display_name: '', policies: ['default'], token_policies: [], metadata: {}, num_uses: 0, entity_id: '', token_type: 'service', lease_duration: 60 },
    wrapInfo: { token: 'hvs.wrap', accessor: 'wacc', ttl: 30, creation_time: 'C', creation_path: 'p', wrapped_accessor: 'inner' },
  };
  assert.equal(JSON.stringify(f.response({ req: request({ caller: undefined, clientToken: '' }), response, time: 'T', error: new Error('e') })),
    '{"time":"T","type":"response","request":{"id":"req-1","operation":"update","mount_point":"secret/","mount_type":"kv","mount_accessor":"kv_123","mount_class":"secret",'
    + '"namespace":{"id":"root"},"path":"secret/data/a","data":{"data":{"password":"H(p)","n":1}},"remote_address":"127.0.0.1","remote_port":4000},'
    + '"response":{"auth":{"client_token":"H(hvs.child)","accessor":"H(cacc)","policies":["default"],"token_type":"service","token_ttl":60},"mount_point":"secret/","mount_type":"kv",'
    + '"mount_accessor":"kv_123","mount_class":"secret","data":{"empty":"H()","zero":0,"list":[]},"warnings":["w"],'
    + '"wrap_info":{"ttl":30,"token":"H(hvs.wrap)","accessor":"H(wacc)","creation_time":"C","creation_path":"p","wrapped_accessor":"H(inner)"}},"error":"e"}');
});

test('the same token is hashed once however often it appears; data values are hashed each time', () => {
  const calls: string[] = [];
  const counting = (v: string) => { calls.push(v); return `H(${v})`; };
  const f = createEntryFormatter(counting, options);
  for (let i = 0; i < 3; i++) {
    f.request({ req: request(), time: 'T' });
    f.response({ req: request(), response: { data: { v: 'secret' } }, time: 'T' });
  }
  assert.equal(calls.filter((v) => v === 'hvs.root').length, 1);
  assert.equal(calls.filter((v) => v === 'acc').length, 1);
  assert.equal(calls.filter((v) => v === 'secret').length, 3);
});

test('the JSON lines are exactly JSON.stringify of the entries, with the request part reused only when unchanged', () => {
  const f = createEntryFormatter(hash, options);
  const response = { data: { v: 's', n: 0, e: '' }, warnings: ['w'], mintedAuth: { client_token: 'hvs.c', accessor: 'a', lease_duration: 5 } };
  const cases: Array<{ req: LogicalRequest; error?: Error }> = [
    { req: request({ operation: 'read', data: {} }) },
    { req: request({ operation: 'read', data: {}, caller: undefined, clientToken: '' }) },
    { req: request() },
    { req: request({ operation: 'read', data: {} }), error: new Error('denied "x"') },
  ];
  for (const { req, error } of cases) {
    const first = { req, time: '2024-01-02T03:04:05Z', error };
    assert.equal(f.requestJson(first), JSON.stringify(f.request(first)));
    const second = { req, response, time: '2024-01-02T03:04:06Z', error };
    assert.equal(f.responseJson(second), JSON.stringify(f.response(second)));
    assert.equal(f.responseJson({ req, time: 'T' }), JSON.stringify(f.response({ req, time: 'T' })), 'no response, no request entry before');
  }
  // A request whose caller or data changed after its request entry is formatted afresh.
  const req = request({ operation: 'read', data: {} });
  f.requestJson({ req, time: 'T' });
  req.caller = { ...req.caller!, displayName: 'changed' };
  assert.match(f.responseJson({ req, response, time: 'T' }), /"display_name":"changed"/);
  const other = request({ operation: 'read', data: {} });
  f.requestJson({ req: other, time: 'T' });
  other.data.added = 'x';
  assert.match(f.responseJson({ req: other, response, time: 'T' }), /"data":\{"added":"H\(x\)"\}/);
});
