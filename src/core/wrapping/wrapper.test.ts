import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest, NotFound } from '../../errors.js';
import type { LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import { createInmemStorage } from '../../storage/inmem.js';
import { createTokenStore } from '../tokens/store.js';
import { createResponseWrapper, INVALID_WRAPPING_TOKEN, isWrappingToken } from './wrapper.js';

const T0 = Date.UTC(2024, 5, 1, 12, 0, 0, 250);

async function setup() {
  const clock = { seconds: Math.floor(T0 / 1000) };
  const tokens = createTokenStore({ storage: createInmemStorage(), now: () => clock.seconds });
  await tokens.load();
  const cubby = createInmemStorage();
  const wrapper = createResponseWrapper({ tokens, cubbyholeStorage: () => cubby, nowMs: () => T0 });
  return { clock, tokens, cubby, wrapper };
}

function request(overrides: Partial<LogicalRequest> = {}): LogicalRequest {
  return {
    id: 'original-request-id', operation: 'read', path: 'secret/data/app', mountRelativePath: 'data/app',
    mountPoint: 'secret/', mountType: 'kv', mountAccessor: 'kv_1', data: {}, clientToken: 'caller',
    headers: {}, remoteAddress: '127.0.0.1', storage: createInmemStorage(), ...overrides,
  };
}

const kvRead: LogicalResponse = { data: { data: { password: 'hunter2' }, metadata: { version: 1 } } };

function isInvalid(err: unknown): boolean {
  return err instanceof InvalidRequest && err.message === INVALID_WRAPPING_TOKEN;
}

test('wrap mints a single-use orphan response-wrapping token and seals the envelope in its cubbyhole', async () => {
  const { tokens, cubby, wrapper } = await setup();
  const out = await wrapper.wrap(request(), kvRead, 300);
  assert.equal(out.data, undefined);
  const info = out.wrapInfo!;
  assert.equal(info.ttl, 300);
  assert.equal(info.creation_path, 'secret/data/app');
  assert.equal(info.creation_time, '2024-06-01T12:00:00.25Z');
  assert.equal(info.wrapped_accessor, undefined);

  const entry = (await tokens.lookup(info.token))!;
  assert.equal(entry.accessor, info.accessor);
  assert.deepEqual(entry.policies, ['response-wrapping']);
  assert.equal(isWrappingToken(entry), true);
  assert.equal(entry.numUses, 1);
  assert.equal(entry.ttl, 300);
  assert.equal(entry.explicitMaxTtl, 300);
  assert.equal(entry.parent, '');
  assert.equal(entry.renewable, false);
  assert.equal(entry.path, 'secret/data/app');

  const stored = JSON.parse((await cubby.get(`${entry.hashedId}/response`))!.toString('utf8'));
  assert.deepEqual(JSON.parse(stored.response), {
    request_id: 'original-request-id', lease_id: '', renewable: false, lease_duration: 0,
    data: kvRead.data, wrap_info: null, warnings: null, auth: null,
  });
  const wrapinfo = JSON.parse((await cubby.get(`${entry.hashedId}/wrapinfo`))!.toString('utf8'));
  assert.deepEqual(wrapinfo, { creation_ttl: 300, creation_time: '2024-06-01T12:00:00.25Z', creation_path: 'secret/data/app' });
});

test('unwrap returns the stored JSON once, then the token is gone with its cubbyhole', async () => {
  const { tokens, cubby, wrapper } = await setup();
  const { wrapInfo } = await wrapper.wrap(request(), kvRead, 60);
  const entry = (await tokens.lookup(wrapInfo!.token))!;
  const body = await wrapper.unwrap({ token: wrapInfo!.token });
  assert.equal(JSON.parse(body).request_id, 'original-request-id');
  assert.deepEqual(JSON.parse(body).data, kvRead.data);
  assert.equal(await tokens.lookup(wrapInfo!.token), undefined);
  assert.deepEqual(await cubby.list(`${entry.hashedId}/`), []);
  await assert.rejects(wrapper.unwrap({ token: wrapInfo!.token }), isInvalid);
});

test('unwrap with the caller\'s own token after the pipeline counted its use', async () => {
  const { tokens, wrapper } = await setup();
  const { wrapInfo } = await wrapper.wrap(request(), kvRead, 60);
  const entry = (await tokens.lookup(wrapInfo!.token))!;
  assert.equal(await tokens.use(entry), true); // what the pipeline does before the handler
  const body = await wrapper.unwrap({ hashedId: entry.hashedId });
  assert.deepEqual(JSON.parse(body).data, kvRead.data);
  assert.equal(await tokens.lookupHashed(entry.hashedId), undefined);
  await assert.rejects(wrapper.unwrap({ hashedId: entry.hashedId }), isInvalid);
});

test('two concurrent unwraps: exactly one gets the response', async () => {
  const { wrapper } = await setup();
  const { wrapInfo } = await wrapper.wrap(request(), kvRead, 60);
  const results = await Promise.allSettled([wrapper.unwrap({ token: wrapInfo!.token }), wrapper.unwrap({ token: wrapInfo!.token })]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.ok(isInvalid(failed.reason));
});

test('lookup reports creation facts without spending the use', async () => {
  const { wrapper } = await setup();
  const { wrapInfo } = await wrapper.wrap(request(), kvRead, 90);
  const expected = { creation_ttl: 90, creation_time: '2024-06-01T12:00:00.25Z', creation_path: 'secret/data/app' };
  assert.deepEqual(await wrapper.lookup({ token: wrapInfo!.token }), expected);
  assert.deepEqual(await wrapper.lookup({ token: wrapInfo!.token }), expected);
  assert.deepEqual(JSON.parse(await wrapper.unwrap({ token: wrapInfo!.token })).data, kvRead.data);
  await assert.rejects(wrapper.lookup({ token: wrapInfo!.token }), isInvalid);
});

test('rewrap moves the response to a new token with the same TTL and creation path', async () => {
  const { tokens, wrapper } = await setup();
  const { wrapInfo: first } = await wrapper.wrap(request(), kvRead, 120);
  const second = await wrapper.rewrap({ token: first!.token }, { path: 'sys/wrapping/rewrap' });
  assert.notEqual(second.token, first!.token);
  assert.equal(second.ttl, 120);
  assert.equal(second.creation_path, 'secret/data/app');
  assert.equal(await tokens.lookup(first!.token), undefined);
  await assert.rejects(wrapper.unwrap({ token: first!.token }), isInvalid);
  const body = JSON.parse(await wrapper.unwrap({ token: second.token }));
  assert.equal(body.request_id, 'original-request-id');
  assert.deepEqual(body.data, kvRead.data);
});

test('an expired wrapping token is invalid', async () => {
  const { clock, wrapper } = await setup();
  const { wrapInfo } = await wrapper.wrap(request(), kvRead, 30);
  clock.seconds += 30;
  await assert.rejects(wrapper.lookup({ token: wrapInfo!.token }), isInvalid);
  await assert.rejects(wrapper.unwrap({ token: wrapInfo!.token }), isInvalid);
});

test('ordinary and unknown tokens are not wrapping tokens', async () => {
  const { tokens, wrapper } = await setup();
  const { id } = await tokens.create({ parent: '', policies: ['default'], path: 'auth/token/create', displayName: 'token', ttl: 0, renewable: false });
  await assert.rejects(wrapper.unwrap({ token: id }), isInvalid);
  await assert.rejects(wrapper.lookup({ token: id }), isInvalid);
  await assert.rejects(wrapper.rewrap({ token: id }, { path: 'sys/wrapping/rewrap' }), isInvalid);
  assert.ok(await tokens.lookup(id), 'an ordinary token is left alone');
  await assert.rejects(wrapper.unwrap({ token: 'hvs.nonexistent' }), isInvalid);
});

test('wrapped_accessor: a minted token\'s accessor, or AppRole\'s secret_id_accessor', async () => {
  const { wrapper } = await setup();
  const login = await wrapper.wrap(request({ path: 'auth/token/create', operation: 'update', mountType: 'token' }),
    { mintedAuth: { client_token: 'hvs.x', accessor: 'acc-123' } }, 60);
  assert.equal(login.wrapInfo!.wrapped_accessor, 'acc-123');
  const secretId = await wrapper.wrap(request({ path: 'auth/approle/role/r/secret-id', operation: 'update', mountType: 'approle' }),
    { data: { secret_id: 's', secret_id_accessor: 'sid-acc' } }, 60);
  assert.equal(secretId.wrapInfo!.wrapped_accessor, 'sid-acc');
  const kv = await wrapper.wrap(request(), { data: { secret_id_accessor: 'not-an-approle' } }, 60);
  assert.equal(kv.wrapInfo!.wrapped_accessor, undefined);
});

test('empty lists are 404, not wrapped; empty, raw and already-wrapped responses pass through', async () => {
  const { wrapper } = await setup();
  const list = request({ operation: 'list', path: 'secret/metadata/' });
  await assert.rejects(wrapper.wrap(list, { data: { keys: [] } }, 60), (e) => e instanceof NotFound);
  await assert.rejects(wrapper.wrap(list, {}, 60), (e) => e instanceof NotFound);
  assert.ok((await wrapper.wrap(list, { data: { keys: ['a'] } }, 60)).wrapInfo);
  const empty: LogicalResponse = {};
  assert.equal(await wrapper.wrap(request({ operation: 'update' }), empty, 60), empty);
  const raw: LogicalResponse = { raw: { status: 200, contentType: 'text/plain', body: 'x' } };
  assert.equal(await wrapper.wrap(request(), raw, 60), raw);
  const wrapped: LogicalResponse = { wrapInfo: { token: 't', accessor: 'a', ttl: 1, creation_time: 'c', creation_path: 'p' } };
  assert.equal(await wrapper.wrap(request(), wrapped, 60), wrapped);
});

test('a failure to store the response revokes the half-made token', async () => {
  const tokens = createTokenStore({ storage: createInmemStorage() });
  await tokens.load();
  const created: string[] = [];
  const failing = createResponseWrapper({
    tokens: { ...tokens, create: async (p) => { const r = await tokens.create(p); created.push(r.id); return r; } },
    cubbyholeStorage: () => { throw new Error('cubbyhole is missing'); },
  });
  await assert.rejects(failing.wrap(request(), kvRead, 60), /cubbyhole is missing/);
  assert.equal(created.length, 1);
  assert.equal(await tokens.lookup(created[0]), undefined);
});
