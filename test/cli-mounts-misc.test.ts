/** `arca secrets|auth ...`, `unwrap`, `patch` and `lease ...` against a real dev server process. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { jsonOf, ok, startDevCli, type DevCli } from './cli-support.js';

let cli: DevCli;
before(async () => { cli = await startDevCli(); });
after(async () => { await cli.close(); });

test('secrets enable/list/tune/move/disable', async () => {
  assert.equal(ok(await cli.run(['secrets', 'enable', '-path=team-kv', '-version=2', '-description=team secrets', 'kv'])).stdout, 'Success! Enabled the kv secrets engine at: team-kv/\n');
  const list = ok(await cli.run(['secrets', 'list']));
  assert.match(list.stdout, /^Path +Type +Accessor +Description\n---- +---- +-------- +-----------\n/);
  assert.match(list.stdout, /\nteam-kv\/ +kv +kv_\S+ +team secrets\n/);
  const detailed = ok(await cli.run(['secrets', 'list', '-detailed']));
  assert.match(detailed.stdout, /^Path +Plugin +Accessor +Default TTL +Max TTL +Force No Cache +Replication +Seal Wrap +External Entropy Access +Options +Description +UUID +Version +Running Version +Running SHA256 +Deprecation Status\n/);
  assert.match(detailed.stdout, /\nteam-kv\/ +kv +kv_\S+ +system +system +false +replicated +false +false +map\[version:2\] +team secrets +\S+/);
  const json = jsonOf(await cli.run(['secrets', 'list', '-format=json']));
  assert.deepEqual(json['team-kv/'].options, { version: '2' });

  assert.equal(ok(await cli.run(['secrets', 'tune', '-default-lease-ttl=1h', '-description=tuned', 'team-kv'])).stdout, 'Success! Tuned the secrets engine at: team-kv/\n');
  const tuned = jsonOf(await cli.run(['secrets', 'list', '-format=json']))['team-kv/'];
  assert.equal(tuned.config.default_lease_ttl, 3600);
  assert.equal(tuned.description, 'tuned');

  ok(await cli.run(['kv', 'put', 'team-kv/a', 'k=v']));
  const moved = ok(await cli.run(['secrets', 'move', 'team-kv', 'moved-kv']));
  assert.match(moved.stdout, /^Started moving secrets engine team-kv\/ to moved-kv\/, with migration ID \S+\nSuccess! Finished moving secrets engine team-kv\/ to moved-kv\/, with migration ID \S+\n$/);
  assert.equal(ok(await cli.run(['kv', 'get', '-field=k', 'moved-kv/a'])).stdout, 'v');

  assert.equal(ok(await cli.run(['secrets', 'disable', 'moved-kv'])).stdout, 'Success! Disabled the secrets engine (if it existed) at: moved-kv/\n');
  assert.equal(jsonOf(await cli.run(['secrets', 'list', '-format=json']))['moved-kv/'], undefined);
  const bad = await cli.run(['secrets', 'enable', 'no-such-engine']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^Error enabling: Error making API request\.\n\nURL: POST http:\/\/127\.0\.0\.1:\d+\/v1\/sys\/mounts\/no-such-engine\/\nCode: 400\. Errors:\n\n\* /);
});

test('auth enable/list/tune/disable', async () => {
  assert.equal(ok(await cli.run(['auth', 'enable', '-path=people', 'userpass'])).stdout, 'Success! Enabled userpass auth method at: people/\n');
  const list = ok(await cli.run(['auth', 'list']));
  assert.match(list.stdout, /^Path +Type +Accessor +Description +Version\n---- +---- +-------- +----------- +-------\n/);
  assert.match(list.stdout, /\npeople\/ +userpass +\S+ +n\/a +n\/a\n/);
  assert.match(list.stdout, /\ntoken\/ +token +\S+ +token based credentials +n\/a\n/);
  assert.equal(ok(await cli.run(['auth', 'tune', '-default-lease-ttl=2h', 'people'])).stdout, 'Success! Tuned the auth method at: people/\n');
  assert.equal(jsonOf(await cli.run(['auth', 'list', '-format=json']))['people/'].config.default_lease_ttl, 7200);
  assert.equal(ok(await cli.run(['auth', 'disable', 'people'])).stdout, 'Success! Disabled the auth method (if it existed) at: people/\n');
  assert.equal(jsonOf(await cli.run(['auth', 'list', '-format=json']))['people/'], undefined);
});

test('unwrap: a wrapped token create, by argument and as the caller; a second unwrap fails', async () => {
  const api = await import('./support/api.js');
  const client = api.apiClient(cli.server.url, 'root');
  const res = await client.call('POST', 'auth/token/create', { policies: ['default'] }, { 'X-Vault-Wrap-TTL': '60s' });
  const wrappingToken = res.json.wrap_info.token as string;
  const unwrapped = ok(await cli.run(['unwrap', wrappingToken]));
  assert.match(unwrapped.stdout, /^Key +Value\n--- +-----\ntoken +hvs\.\S+\ntoken_accessor +\S+\ntoken_duration +768h\ntoken_renewable +true\ntoken_policies +\["default"\]\n/);
  const again = await cli.run(['unwrap', wrappingToken]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /^Error unwrapping: Error making API request\./);

  const second = (await client.call('POST', 'auth/token/create', { policies: ['default'] }, { 'X-Vault-Wrap-TTL': '60s' })).json.wrap_info.token as string;
  const asCaller = jsonOf(await cli.run(['unwrap', '-format=json'], undefined, { VAULT_TOKEN: second }));
  assert.match(asCaller.auth.client_token, /^hvs\./);
  assert.deepEqual(Object.keys(asCaller), ['request_id', 'lease_id', 'lease_duration', 'renewable', 'data', 'warnings', 'auth']);
  assert.equal(ok(await cli.run(['unwrap', '-field=token', (await client.call('POST', 'auth/token/create', {}, { 'X-Vault-Wrap-TTL': '60s' })).json.wrap_info.token])).stdout.startsWith('hvs.'), true);
});

test('patch sends a JSON merge patch', async () => {
  ok(await cli.run(['kv', 'put', 'secret/merge', 'a=1', 'b=2']));
  const res = ok(await cli.run(['patch', 'secret/data/merge', '-'], '{"data":{"b":null,"c":"3"}}'));
  assert.match(res.stdout, /\nversion +2\n/);
  assert.deepEqual(jsonOf(await cli.run(['kv', 'get', '-format=json', 'secret/merge'])).data.data, { a: '1', c: '3' });
  const none = await cli.run(['patch', 'secret/data/merge']);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'Must supply data or use -force\n');
});

test('lease lookup/renew/revoke: Vault\'s messages and exit codes', async () => {
  const lookup = await cli.run(['lease', 'lookup', 'secret/nope/abc']);
  assert.equal(lookup.code, 2);
  assert.match(lookup.stderr, /^error looking up lease id secret\/nope\/abc: Error making API request\.\n\nURL: PUT http:\/\/127\.0\.0\.1:\d+\/v1\/sys\/leases\/lookup\nCode: 400\. Errors:\n\n\* /);
  const renew = await cli.run(['lease', 'renew', 'secret/nope/abc']);
  assert.equal(renew.code, 2);
  assert.match(renew.stderr, /^Error renewing secret\/nope\/abc: Error making API request\./);
  assert.equal((await cli.run(['lease', 'renew'])).stderr, 'Missing ID!\n');
  assert.equal(ok(await cli.run(['lease', 'revoke', '-prefix', '-sync', 'secret/nope/'])).stdout, 'Success! Revoked any leases with prefix: secret/nope/\n');
  assert.equal(ok(await cli.run(['lease', 'revoke', 'secret/nope/abc'])).stdout, 'All revocation operations queued successfully!\n');
  const force = await cli.run(['lease', 'revoke', '-force', 'x']);
  assert.equal(force.code, 1);
  assert.equal(force.stderr, 'Specifying -force requires also specifying -prefix\n');
});
