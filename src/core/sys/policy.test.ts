import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { createDispatcher } from '../../framework/backend.js';
import type { LogicalRequest, Operation } from '../../framework/logical.js';
import { createInmemStorage } from '../../storage/inmem.js';
import { DEFAULT_POLICY_TEXT } from '../policy/builtin.js';
import { createPolicyStore } from '../policy/store.js';
import type { SysContext } from './context.js';
import { RULES_DEPRECATION_WARNING, policyPaths } from './policy.js';

const TEXT = 'path "secret/*" { capabilities = ["read"] }';

async function setup() {
  const storage = createInmemStorage();
  const store = createPolicyStore({ storage });
  await store.load();
  const dispatcher = createDispatcher(policyPaths({ policies: store } as unknown as SysContext));
  const call = (operation: Operation, relative: string, data: Record<string, unknown> = {}) =>
    dispatcher.handle({
      id: 'r', operation, path: `sys/${relative}`, mountRelativePath: relative, mountPoint: 'sys/',
      mountType: 'system', mountAccessor: 'system_1', data, clientToken: '', headers: {}, remoteAddress: '',
      storage,
    } satisfies LogicalRequest);
  return { store, storage, call };
}

async function rejects(promise: Promise<unknown>, type: typeof InvalidRequest, message: string | RegExp) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe('sys/policy (legacy)', () => {
  it('GET and LIST return keys and policies: default then root, response-wrapping hidden', async () => {
    const { call, store } = await setup();
    await store.set('ops', TEXT);
    const expected = { keys: ['default', 'ops', 'root'], policies: ['default', 'ops', 'root'] };
    assert.deepEqual((await call('read', 'policy')).data, expected);
    assert.deepEqual((await call('list', 'policy/')).data, expected);
  });

  it('writes with `policy`, reads back `rules`', async () => {
    const { call } = await setup();
    assert.deepEqual(await call('update', 'policy/Ops', { policy: TEXT }), {});
    assert.deepEqual((await call('read', 'policy/OPS')).data, { name: 'ops', rules: TEXT });
  });

  it('accepts legacy `rules` with a deprecation warning', async () => {
    const { call, store } = await setup();
    const response = await call('update', 'policy/legacy', { rules: TEXT });
    assert.deepEqual(response.warnings, [RULES_DEPRECATION_WARNING]);
    assert.equal((await store.get('legacy'))?.raw, TEXT);
  });

  it('a missing policy body is a 400; a parse failure is a 400 naming the parse', async () => {
    const { call } = await setup();
    await rejects(call('update', 'policy/x', {}), InvalidRequest, "'policy' parameter not supplied or empty");
    await rejects(call('update', 'policy/x', { policy: 'path "a" {' }), InvalidRequest, /^failed to parse policy/);
  });

  it('reading a missing policy returns nothing (404 on the wire); root reads with empty rules', async () => {
    const { call } = await setup();
    assert.deepEqual(await call('read', 'policy/nope'), {});
    assert.deepEqual((await call('read', 'policy/root')).data, { name: 'root', rules: '' });
    assert.deepEqual((await call('read', 'policy/default')).data, { name: 'default', rules: DEFAULT_POLICY_TEXT });
  });

  it('refuses to write or delete root in any spelling and to delete default', async () => {
    const { call } = await setup();
    for (const name of ['root', ' Root', 'ROOT']) {
      await rejects(call('update', `policy/${name}`, { policy: TEXT }), InvalidRequest, 'cannot update "root" policy');
      await rejects(call('delete', `policy/${name}`), InvalidRequest, 'cannot delete "root" policy');
    }
    await rejects(call('delete', 'policy/Default'), InvalidRequest, 'cannot delete default policy');
  });
});

describe('sys/policies/acl', () => {
  it('LIST returns keys only', async () => {
    const { call } = await setup();
    assert.deepEqual((await call('list', 'policies/acl/')).data, { keys: ['default', 'root'] });
  });

  it('accepts base64, reads back `policy` decoded', async () => {
    const { call } = await setup();
    await call('update', 'policies/acl/b64', { policy: Buffer.from(TEXT).toString('base64') });
    assert.deepEqual((await call('read', 'policies/acl/b64')).data, { name: 'b64', policy: TEXT });
  });

  it('does not accept the legacy `rules` field', async () => {
    const { call } = await setup();
    await rejects(call('update', 'policies/acl/x', { rules: TEXT }), InvalidRequest, "'policy' parameter not supplied or empty");
  });

  it('DELETE is idempotent and removes the entry', async () => {
    const { call, storage } = await setup();
    await call('update', 'policies/acl/gone', { policy: TEXT });
    assert.deepEqual(await call('delete', 'policies/acl/gone'), {});
    assert.equal(await storage.get('gone'), undefined);
    assert.deepEqual(await call('delete', 'policies/acl/gone'), {});
    assert.deepEqual(await call('read', 'policies/acl/gone'), {});
  });

  it('response-wrapping can be neither written nor deleted', async () => {
    const { call } = await setup();
    await rejects(call('update', 'policies/acl/response-wrapping', { policy: TEXT }), InvalidRequest, 'cannot update "response-wrapping" policy');
    await rejects(call('delete', 'policies/acl/response-wrapping'), InvalidRequest, 'cannot delete "response-wrapping" policy');
  });
});

describe('policy path group without a store', () => {
  it('contributes no paths', () => {
    assert.deepEqual(policyPaths({} as SysContext).paths, []);
  });
});
