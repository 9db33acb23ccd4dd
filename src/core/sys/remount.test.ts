import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { createHarness } from './mount-test-harness.js';

test('remount moves a secrets engine with its data and reports a finished migration', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/old', { type: 'kv', options: { version: '2' } });
  const uuid = h.ctx.mounts.find('mounts', 'old/')!.entry.uuid;
  await h.engine('update', 'old/k', { value: 'kept' });
  const res = await h.call('update', 'remount', { from: 'old', to: 'new/place' });
  const id = res.data!.migration_id as string;
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(h.revokedPrefixes, ['old/']);
  assert.equal(h.ctx.mounts.find('mounts', 'old/'), undefined);
  assert.equal(h.ctx.mounts.find('mounts', 'new/place/')!.entry.uuid, uuid);
  assert.deepEqual((await h.engine('read', 'new/place/k')).data, { value: 'kept' });
  assert.deepEqual((await h.storedTable('mounts')).filter((e) => e.uuid === uuid).map((e) => e.path), ['new/place/']);
  assert.deepEqual((await h.call('read', `remount/status/${id}`)).data, {
    migration_id: id, migration_info: { source_mount: 'old/', target_mount: 'new/place/', status: 'success' },
  });
  assert.deepEqual(await h.call('read', 'remount/status/00000000-0000-0000-0000-000000000000'), {});
});

test('remount moves auth methods within auth/', async () => {
  const h = await createHarness();
  await h.call('update', 'auth/a', { type: 'userpass' });
  await h.call('update', 'remount', { from: 'auth/a', to: 'auth/b/' });
  assert.equal(h.ctx.mounts.find('auth', 'a/'), undefined);
  assert.ok(h.ctx.mounts.find('auth', 'b/'));
  assert.ok(h.ctx.mounts.route('auth/b/login'));
  assert.deepEqual((await h.storedTable('auth')).map((e) => e.path).sort(), ['b/', 'token/']);
});

test('bad remounts are 400 and move nothing', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/src', { type: 'kv' });
  await h.call('update', 'mounts/taken', { type: 'kv' });
  await h.call('update', 'auth/up', { type: 'userpass' });
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ from: 'src' }, /both 'from' and 'to'/],
    [{ from: 'src ', to: 'x' }, /trailing whitespace/],
    [{ from: 'src', to: 'taken' }, /path is already in use at taken\//],
    [{ from: 'src', to: 'taken/deeper' }, /path is already in use at taken\//],
    [{ from: 'src', to: 'sys/x' }, /reserved destination/],
    [{ from: 'src', to: 'auth/x' }, /reserved destination/],
    [{ from: 'sys', to: 'elsewhere' }, /reserved mount/],
    [{ from: 'cubbyhole', to: 'elsewhere' }, /reserved mount/],
    [{ from: 'auth/up', to: 'up' }, /cannot remount auth mount to non-auth mount/],
    [{ from: 'auth/token', to: 'auth/tok' }, /cannot remount the token auth method/],
    [{ from: 'auth/up', to: 'auth/token/x' }, /token auth method/],
    [{ from: 'missing', to: 'x' }, /no matching mount/],
    [{ from: 'src', to: 'a//b' }, /invalid mount path/],
  ];
  for (const [body, message] of cases) {
    await assert.rejects(h.call('update', 'remount', body), (err: Error) => {
      assert.ok(err instanceof InvalidRequest, JSON.stringify(body));
      assert.match(err.message, message, JSON.stringify(body));
      return true;
    });
  }
  assert.deepEqual((await h.storedTable('mounts')).map((e) => e.path).sort(), ['cubbyhole/', 'identity/', 'src/', 'sys/', 'taken/']);
  assert.deepEqual((await h.storedTable('auth')).map((e) => e.path).sort(), ['token/', 'up/']);
  assert.deepEqual(h.revokedPrefixes, []);
});
