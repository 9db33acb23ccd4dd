import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { createDispatcher } from '../../framework/backend.js';
import type { CallerIdentity, LogicalRequest } from '../../framework/logical.js';
import { createInmemStorage } from '../../storage/inmem.js';
import { createAclProvider } from '../policy/acl-cache.js';
import { createPolicyStore } from '../policy/store.js';
import { createTokenStore } from '../tokens/store.js';
import { capabilitiesPaths } from './capabilities.js';
import type { SysContext } from './context.js';

async function setup() {
  const storage = createInmemStorage();
  const store = createPolicyStore({ storage });
  await store.load();
  await store.set('reader', 'path "secret/*" { capabilities = ["read", "list"] }\npath "secret/hidden" { capabilities = ["deny"] }');
  const tokens = createTokenStore({ storage: createInmemStorage() });
  await tokens.load();
  const ctx = { core: { tokens }, acl: createAclProvider(store) } as unknown as SysContext;
  const dispatcher = createDispatcher(capabilitiesPaths(ctx));
  const limited = await tokens.create({ parent: '', policies: ['default', 'reader'], path: 'auth/token/create', displayName: 't', ttl: 0, renewable: false });
  const root = await tokens.create({ parent: '', policies: ['root'], path: 'auth/token/root', displayName: 'root', ttl: 0, renewable: false });
  const call = (relative: string, data: Record<string, unknown>, caller?: Partial<CallerIdentity>) =>
    dispatcher.handle({
      id: 'r', operation: 'update', path: `sys/${relative}`, mountRelativePath: relative, mountPoint: 'sys/',
      mountType: 'system', mountAccessor: 'system_1', data, clientToken: '', headers: {}, remoteAddress: '',
      storage, caller: caller as CallerIdentity | undefined,
    } satisfies LogicalRequest);
  return { call, limited, root };
}

async function rejectsInvalid(promise: Promise<unknown>, message: string) {
  await assert.rejects(promise, (err: unknown) => err instanceof InvalidRequest && err.message === message);
}

describe('sys/capabilities-self', () => {
  it('reports sorted capabilities per path and `capabilities` for a single path', async () => {
    const { call } = await setup();
    const caller = { policies: ['default', 'reader'], isRoot: false };
    assert.deepEqual((await call('capabilities-self', { paths: ['secret/a'] }, caller)).data,
      { 'secret/a': ['list', 'read'], capabilities: ['list', 'read'] });
    assert.deepEqual((await call('capabilities-self', { paths: ['secret/a', 'secret/hidden', 'other/x', 'sys/capabilities-self'] }, caller)).data, {
      'secret/a': ['list', 'read'],
      'secret/hidden': ['deny'],
      'other/x': ['deny'],
      'sys/capabilities-self': ['update'],
    });
  });

  it('accepts the legacy `path` field and comma-separated lists', async () => {
    const { call } = await setup();
    const caller = { policies: ['reader'], isRoot: false };
    assert.deepEqual((await call('capabilities-self', { path: 'secret/a' }, caller)).data,
      { 'secret/a': ['list', 'read'], capabilities: ['list', 'read'] });
    assert.deepEqual(Object.keys((await call('capabilities-self', { paths: 'secret/a,other/b' }, caller)).data!), ['secret/a', 'other/b']);
  });

  it('root reports ["root"]; no policies report ["deny"]', async () => {
    const { call } = await setup();
    assert.deepEqual((await call('capabilities-self', { paths: ['sys/seal'] }, { policies: ['root'], isRoot: true })).data,
      { 'sys/seal': ['root'], capabilities: ['root'] });
    assert.deepEqual((await call('capabilities-self', { paths: ['secret/a'] }, { policies: [], isRoot: false })).data,
      { 'secret/a': ['deny'], capabilities: ['deny'] });
  });

  it('path tricks never widen: non-canonical paths report deny', async () => {
    const { call } = await setup();
    const caller = { policies: ['reader'], isRoot: false };
    const data = (await call('capabilities-self', { paths: ['secret/../sys/seal', 'secret//a', 'secret/./a'] }, caller)).data;
    assert.deepEqual(data, { 'secret/../sys/seal': ['deny'], 'secret//a': ['deny'], 'secret/./a': ['deny'] });
  });

  it('refuses a request without paths', async () => {
    const { call } = await setup();
    await rejectsInvalid(call('capabilities-self', {}, { policies: ['reader'], isRoot: false }), 'missing path');
  });
});

describe('sys/capabilities and sys/capabilities-accessor', () => {
  it('evaluate another token by id or accessor', async () => {
    const { call, limited, root } = await setup();
    assert.deepEqual((await call('capabilities', { token: limited.id, paths: ['secret/a'] })).data,
      { 'secret/a': ['list', 'read'], capabilities: ['list', 'read'] });
    assert.deepEqual((await call('capabilities-accessor', { accessor: limited.entry.accessor, paths: ['secret/a'] })).data,
      { 'secret/a': ['list', 'read'], capabilities: ['list', 'read'] });
    assert.deepEqual((await call('capabilities', { token: root.id, paths: 'x' })).data, { x: ['root'], capabilities: ['root'] });
  });

  it('an unknown token or accessor is a 400', async () => {
    const { call } = await setup();
    await rejectsInvalid(call('capabilities', { token: 'hvs.nope', paths: ['a'] }), 'invalid token');
    await rejectsInvalid(call('capabilities', { paths: ['a'] }), 'missing token');
    await rejectsInvalid(call('capabilities-accessor', { accessor: 'nope', paths: ['a'] }), 'invalid accessor');
    await rejectsInvalid(call('capabilities-accessor', { paths: ['a'] }), 'missing accessor');
  });
});
