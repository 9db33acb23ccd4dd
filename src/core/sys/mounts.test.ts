import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { createHarness, SYSTEM_DEFAULT_TTL, SYSTEM_MAX_TTL } from './mount-test-harness.js';

const MOUNT_KEYS = [
  'accessor', 'config', 'deprecation_status', 'description', 'external_entropy_access', 'local', 'options',
  'plugin_version', 'running_plugin_version', 'running_sha256', 'seal_wrap', 'type', 'uuid',
].sort();

test('sys/mounts lists the built-in mounts keyed with a trailing slash, in Vault\'s shape', async () => {
  const h = await createHarness();
  const res = await h.call('read', 'mounts');
  const data = res.data as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(data).sort(), ['cubbyhole/', 'identity/', 'sys/']);
  const sys = data['sys/'];
  assert.equal(sys.type, 'system');
  assert.equal(sys.options, null);
  assert.equal(sys.plugin_version, '');
  assert.equal(sys.running_plugin_version, 'v1.19.0+builtin.vault');
  assert.equal(sys.running_sha256, '');
  assert.equal('deprecation_status' in sys, false);
  assert.match(sys.accessor as string, /^system_[0-9a-f]{8}$/);
  assert.deepEqual(sys.config, { default_lease_ttl: 0, max_lease_ttl: 0, force_no_cache: false });
  assert.equal(data['cubbyhole/'].local, true);
});

test('enable kv-v2 with config and options, then list and read it back', async () => {
  const h = await createHarness();
  const enabled = await h.call('update', 'mounts/team/kv', {
    type: 'kv-v2', description: 'team secrets',
    config: { default_lease_ttl: '1h', max_lease_ttl: 7200, force_no_cache: true, audit_non_hmac_request_keys: 'a,b', listing_visibility: 'unauth' },
  });
  assert.deepEqual(enabled, {});
  const info = (await h.call('read', 'mounts')).data!['team/kv/'] as Record<string, unknown>;
  assert.deepEqual(Object.keys(info).sort(), MOUNT_KEYS);
  assert.equal(info.type, 'kv');
  assert.deepEqual(info.options, { version: '2' });
  assert.equal(info.description, 'team secrets');
  assert.equal(info.deprecation_status, 'supported');
  assert.equal(info.running_plugin_version, 'v1.19.0+builtin');
  assert.deepEqual(info.config, {
    default_lease_ttl: 3600, max_lease_ttl: 7200, force_no_cache: true,
    audit_non_hmac_request_keys: ['a', 'b'], listing_visibility: 'unauth',
  });
  const one = await h.call('read', 'mounts/team/kv');
  assert.deepEqual(one.data, info);
  // Persisted: the stored table has the entry.
  const stored = await h.storedTable('mounts');
  assert.equal(stored.find((e) => e.path === 'team/kv/')?.options?.version, '2');
});

test('kv-v1 alias and kv with an explicit version; version on other engines is refused', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/old', { type: 'kv-v1' });
  await h.call('update', 'mounts/plain', { type: 'kv', options: { version: '2' } });
  const list = (await h.call('read', 'mounts')).data as Record<string, Record<string, unknown>>;
  assert.deepEqual(list['old/'].options, { version: '1' });
  assert.equal(list['old/'].type, 'kv');
  assert.deepEqual(list['plain/'].options, { version: '2' });

  await assert.rejects(h.call('update', 'mounts/tr', { type: 'transit', options: { version: '2' } }), InvalidRequest);
  await assert.rejects(h.call('update', 'mounts/bad', { type: 'kv', options: { version: '3' } }), InvalidRequest);
  const after = (await h.call('read', 'mounts')).data!;
  assert.equal('tr/' in after, false);
  assert.equal('bad/' in after, false);
});

test('path conflicts name the existing mount; reserved paths and singletons are refused', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/secret', { type: 'kv' });
  await assert.rejects(h.call('update', 'mounts/secret', { type: 'kv' }), { name: 'InvalidRequest', message: 'path is already in use at secret/' });
  await assert.rejects(h.call('update', 'mounts/secret/nested', { type: 'kv' }), { message: 'path is already in use at secret/' });
  for (const reserved of ['sys/x', 'cubbyhole', 'identity/x', 'auth/x', 'audit/x']) {
    await assert.rejects(h.call('update', `mounts/${reserved}`, { type: 'kv' }), InvalidRequest, reserved);
  }
  await assert.rejects(h.call('update', 'mounts/other', { type: 'cubbyhole' }), { message: 'mount type of "cubbyhole" is not mountable' });
  assert.deepEqual(Object.keys((await h.call('read', 'mounts')).data!).sort(), ['cubbyhole/', 'identity/', 'secret/', 'sys/']);
});

test('bad enable inputs are 400 and change nothing', async () => {
  const h = await createHarness();
  const before = JSON.stringify(await h.storedTable('mounts'));
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['missing type', {}, /backend type must be specified/],
    ['unknown type', { type: 'nope' }, /plugin not found in the catalog/],
    ['bad ttl', { type: 'kv', config: { default_lease_ttl: 'soon' } }, /unable to parse default_lease_ttl/],
    ['default > max', { type: 'kv', config: { default_lease_ttl: '2h', max_lease_ttl: '1h' } }, /greater than given max lease TTL/],
    ['default > system max', { type: 'kv', config: { default_lease_ttl: `${SYSTEM_MAX_TTL + 1}` } }, /greater than system max lease TTL of 2764800/],
    ['bad visibility', { type: 'kv', config: { listing_visibility: 'everyone' } }, /invalid listing_visibility/],
    ['token_type on secrets', { type: 'kv', config: { token_type: 'batch' } }, /only be set on auth mounts/],
    ['bad plugin version', { type: 'kv', plugin_version: 'v9.9.9' }, /non-builtin version/],
    ['bad config', { type: 'kv', config: 'not a map' }, /expected a map/],
  ];
  for (const [name, body, message] of cases) {
    await assert.rejects(h.call('update', 'mounts/x', body), (err: Error) => {
      assert.ok(err instanceof InvalidRequest, name);
      assert.match(err.message, message, name);
      return true;
    });
  }
  assert.equal(JSON.stringify(await h.storedTable('mounts')), before);
  assert.equal(h.ctx.mounts.find('mounts', 'x/'), undefined);
});

test('reading a path with no mount is a 400, as in Vault', async () => {
  const h = await createHarness();
  await assert.rejects(h.call('read', 'mounts/nothing'), { name: 'InvalidRequest', message: 'No secret engine mount at this path' });
});

test('disable revokes leases, deletes the data, and re-enabling at the same path starts empty', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/data', { type: 'kv' });
  const { uuid } = h.ctx.mounts.find('mounts', 'data/')!.entry;
  await h.engine('update', 'data/k', { value: 'v1' });
  await h.engine('update', 'data/dir/k2', { value: 'v2' });
  assert.deepEqual((await h.engine('read', 'data/k')).data, { value: 'v1' });
  assert.deepEqual((await h.storedKeys(`logical/${uuid}/`)).sort(), ['dir/', 'k']);
  const res = await h.call('delete', 'mounts/data');
  assert.deepEqual(res, {});
  assert.deepEqual(h.revokedPrefixes, ['data/']);
  assert.equal(h.ctx.mounts.find('mounts', 'data/'), undefined);
  assert.equal((await h.storedTable('mounts')).some((e) => e.path === 'data/'), false);
  assert.deepEqual(await h.storedKeys(`logical/${uuid}/`), []);
  await h.call('update', 'mounts/data', { type: 'kv' });
  assert.deepEqual(await h.engine('read', 'data/k'), {});
});

test('disable of nothing is a silent success; disabling a reserved mount is refused', async () => {
  const h = await createHarness();
  assert.deepEqual(await h.call('delete', 'mounts/never-there'), {});
  await assert.rejects(h.call('delete', 'mounts/sys'), { message: 'cannot unmount "sys/"' });
  await assert.rejects(h.call('delete', 'mounts/cubbyhole'), InvalidRequest);
  assert.deepEqual(await h.call('delete', 'mounts/sys/nested'), {});
  assert.ok(h.ctx.mounts.find('mounts', 'sys/'));
});

test('tune read gives effective TTLs in seconds', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/t', { type: 'kv-v2', description: 'd' });
  assert.deepEqual((await h.call('read', 'mounts/t/tune')).data, {
    description: 'd', default_lease_ttl: SYSTEM_DEFAULT_TTL, max_lease_ttl: SYSTEM_MAX_TTL, force_no_cache: false,
    options: { version: '2' },
  });
  await assert.rejects(h.call('read', 'mounts/none/tune'), InvalidRequest);
});

test('tune writes TTLs, description, lists and visibility, mutating the live entry and persisting it', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/t', { type: 'kv' });
  const live = h.ctx.mounts.find('mounts', 't/')!.entry;
  const liveConfig = live.config;
  const body = {
    default_lease_ttl: '30m', max_lease_ttl: '2h', description: 'tuned',
    audit_non_hmac_request_keys: ['x'], audit_non_hmac_response_keys: 'y,z',
    listing_visibility: 'hidden', passthrough_request_headers: 'X-A', allowed_response_headers: ['X-B'],
  };
  assert.deepEqual(await h.call('update', 'mounts/t/tune', body), {});
  assert.equal(live.config.defaultLeaseTtl, 1800);
  assert.equal(live.config, liveConfig, 'the config object is updated in place');
  assert.equal(live.description, 'tuned');
  assert.deepEqual((await h.call('read', 'mounts/t/tune')).data, {
    description: 'tuned', default_lease_ttl: 1800, max_lease_ttl: 7200, force_no_cache: false,
    audit_non_hmac_request_keys: ['x'], audit_non_hmac_response_keys: ['y', 'z'], listing_visibility: 'hidden',
    passthrough_request_headers: ['X-A'], allowed_response_headers: ['X-B'],
  });
  const stored = (await h.storedTable('mounts')).find((e) => e.path === 't/')!;
  assert.equal(stored.config.maxLeaseTtl, 7200);
  assert.equal(stored.description, 'tuned');
  // "system" resets a TTL to the server default.
  await h.call('update', 'mounts/t/tune', { default_lease_ttl: 'system', max_lease_ttl: 'system' });
  assert.equal(live.config.defaultLeaseTtl, 0);
  assert.equal((await h.call('read', 'mounts/t/tune')).data!.max_lease_ttl, SYSTEM_MAX_TTL);
});

test('bad tunes are 400 and change nothing', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/t', { type: 'kv', config: { default_lease_ttl: 60, max_lease_ttl: 120 } });
  const before = JSON.stringify(h.ctx.mounts.find('mounts', 't/')!.entry);
  const storedBefore = JSON.stringify(await h.storedTable('mounts'));
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ max_lease_ttl: 30 }, /max lease TTL of 30 would be less than backend default lease TTL of 60/],
    [{ default_lease_ttl: SYSTEM_MAX_TTL + 1, max_lease_ttl: 'system' }, /greater than system max lease TTL/],
    [{ default_lease_ttl: 'whenever' }, /unable to parse default_lease_ttl/],
    [{ listing_visibility: 'public', description: 'changed' }, /invalid listing_visibility/],
    [{ token_type: 'batch' }, /only be modified on auth mounts/],
    [{ plugin_version: 'v2.0.0' }, /non-builtin version/],
    [{ options: { version: '3' }, description: 'changed' }, /invalid version provided: 3/],
    [{ options: { version: 'two' } }, /unable to parse options/],
  ];
  for (const [body, message] of cases) {
    await assert.rejects(h.call('update', 'mounts/t/tune', body), (err: Error) => {
      assert.ok(err instanceof InvalidRequest, JSON.stringify(body));
      assert.match(err.message, message);
      return true;
    });
  }
  assert.equal(JSON.stringify(h.ctx.mounts.find('mounts', 't/')!.entry), before);
  assert.equal(JSON.stringify(await h.storedTable('mounts')), storedBefore);
  await assert.rejects(h.call('update', 'mounts/none/tune', { description: 'x' }), InvalidRequest);
});

test('options: upgrade 1→2 rebuilds the backend with a warning; downgrade is refused; empty values delete', async () => {
  const h = await createHarness();
  await h.call('update', 'mounts/kv', { type: 'kv', options: { version: '1', flavour: 'mint' } });
  assert.equal(h.builds.get('kv'), 1);
  const up = await h.call('update', 'mounts/kv/tune', { options: { version: '2' } });
  assert.deepEqual(up.warnings, ['Upgrading mount from version 1 to version 2. This mount will be unavailable for a brief period and will resume service shortly.']);
  assert.equal(h.builds.get('kv'), 2);
  assert.deepEqual(h.ctx.mounts.find('mounts', 'kv/')!.entry.options, { version: '2', flavour: 'mint' });
  await assert.rejects(h.call('update', 'mounts/kv/tune', { options: { version: '1' } }), { name: 'InvalidRequest', message: 'cannot downgrade mount from version 2' });
  // Same version again: no rebuild, no warning.
  assert.deepEqual(await h.call('update', 'mounts/kv/tune', { options: { version: '2' } }), {});
  assert.equal(h.builds.get('kv'), 2);
  // Empty value removes an option, but an empty version is refused rather than dropped.
  await h.call('update', 'mounts/kv/tune', { options: { flavour: '' } });
  assert.deepEqual(h.ctx.mounts.find('mounts', 'kv/')!.entry.options, { version: '2' });
  await assert.rejects(h.call('update', 'mounts/kv/tune', { options: { version: '' } }), InvalidRequest);
  assert.deepEqual((await h.storedTable('mounts')).find((e) => e.path === 'kv/')!.options, { version: '2' });
  // A version on a non-KV engine is refused at tune time too.
  await h.call('update', 'mounts/tr', { type: 'transit' });
  await assert.rejects(h.call('update', 'mounts/tr/tune', { options: { version: '2' } }), InvalidRequest);
});

test('sys/ and cubbyhole/ only tune their audit key lists', async () => {
  const h = await createHarness();
  await assert.rejects(h.call('update', 'mounts/sys/tune', { default_lease_ttl: '1h' }), { message: 'cannot tune parameter default_lease_ttl of sys/' });
  await h.call('update', 'mounts/cubbyhole/tune', { audit_non_hmac_request_keys: ['k'] });
  assert.deepEqual(h.ctx.mounts.find('mounts', 'cubbyhole/')!.entry.config.auditNonHmacRequestKeys, ['k']);
});
