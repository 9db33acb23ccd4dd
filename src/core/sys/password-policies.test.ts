import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest, NotFound } from '../../errors.js';
import { createDispatcher } from '../../framework/backend.js';
import type { LogicalRequest, Operation } from '../../framework/logical.js';
import { createPasswordPolicyStore } from '../password-policy/store.js';
import { passwordPolicyPathsFor } from './password-policies.js';

function harness() {
  const map = new Map<string, Buffer>();
  const storage = {
    get: async (k: string) => map.get(k),
    put: async (k: string, v: Buffer) => { map.set(k, v); },
    delete: async (k: string) => { map.delete(k); },
    list: async (p: string) => [...map.keys()].filter((k) => k.startsWith(p)).map((k) => k.slice(p.length)),
  };
  const dispatcher = createDispatcher(passwordPolicyPathsFor(createPasswordPolicyStore({ storage })));
  const call = (operation: Operation, path: string, data: Record<string, unknown> = {}) => dispatcher.handle({
    id: 't', operation, path: `sys/${path}`, mountRelativePath: path, mountPoint: 'sys/', mountType: 'system', mountAccessor: 'system',
    data, clientToken: '', headers: {}, remoteAddress: '', storage,
  } satisfies LogicalRequest);
  return { call, map };
}

const POLICY = 'length = 8\nrule "charset" {\n  charset = "xyz"\n  min-chars = 1\n}';

test('write, read, list, generate, delete', async () => {
  const { call, map } = harness();
  assert.deepEqual(await call('update', 'policies/password/xyz', { policy: POLICY }), {});
  assert.deepEqual(JSON.parse(map.get('xyz')!.toString()), { policy: POLICY });
  assert.deepEqual((await call('read', 'policies/password/xyz')).data, { policy: POLICY });
  assert.deepEqual((await call('list', 'policies/password/')).data, { keys: ['xyz'] });
  assert.match((await call('read', 'policies/password/xyz/generate')).data!.password as string, /^[xyz]{8}$/);
  await call('delete', 'policies/password/xyz');
  assert.deepEqual(await call('read', 'policies/password/xyz'), {});
});

test('rejects a missing or invalid policy and generating from an unknown one', async () => {
  const { call } = harness();
  await assert.rejects(call('update', 'policies/password/a', {}), InvalidRequest);
  await assert.rejects(call('update', 'policies/password/a', { policy: 'length = 8' }), InvalidRequest);
  await assert.rejects(call('read', 'policies/password/a/generate'), InvalidRequest);
  await assert.rejects(call('read', 'policies/password/a/b/c'), NotFound);
});
