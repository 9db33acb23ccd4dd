/** `arca token ...` and `arca policy ...` against a real dev server process. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { apiClient } from './support/api.js';
import { jsonOf, ok, startDevCli, type DevCli } from './cli-support.js';

let cli: DevCli;
before(async () => { cli = await startDevCli(); });
after(async () => { await cli.close(); });

test('token create prints the auth table; -field=token is the raw token', async () => {
  const created = ok(await cli.run(['token', 'create', '-policy=default', '-ttl=1h', '-metadata=team=ops', '-display-name=ci']));
  assert.match(created.stdout, /^Key +Value\n--- +-----\ntoken +hvs\.\S+\ntoken_accessor +\S+\ntoken_duration +1h\ntoken_renewable +true\ntoken_policies +\["default"\]\nidentity_policies +\[\]\npolicies +\["default"\]\ntoken_meta_team +ops\n$/);
  const token = ok(await cli.run(['token', 'create', '-policy=default', '-field=token'])).stdout;
  assert.match(token, /^hvs\.[A-Za-z0-9]+$/);
});

test('token lookup -format=json is the API envelope as Vault prints it; lookup by accessor; renew; revoke', async () => {
  const created = jsonOf(await cli.run(['token', 'create', '-policy=default', '-ttl=1h', '-format=json']));
  const { client_token: token, accessor } = created.auth;
  assert.deepEqual(Object.keys(created), ['request_id', 'lease_id', 'lease_duration', 'renewable', 'data', 'warnings', 'auth']);
  assert.deepEqual(Object.keys(created.auth), ['client_token', 'accessor', 'policies', 'token_policies', 'identity_policies', 'metadata', 'orphan', 'entity_id', 'lease_duration', 'renewable', 'mfa_requirement']);

  const looked = await cli.run(['token', 'lookup', '-format=json', token]);
  const api = apiClient(cli.server.url, 'root');
  const raw = (await api.call('POST', 'auth/token/lookup', { token })).json;
  const parsed = jsonOf(looked);
  assert.deepEqual(Object.keys(parsed), ['request_id', 'lease_id', 'lease_duration', 'renewable', 'data', 'warnings']);
  assert.deepEqual(Object.keys(parsed.data), Object.keys(raw.data).sort());
  for (const key of ['accessor', 'id', 'policies', 'path', 'display_name', 'num_uses', 'orphan', 'renewable', 'type', 'creation_ttl']) {
    assert.deepEqual(parsed.data[key], raw.data[key], key);
  }
  assert.equal(parsed.data.id, token);
  // The exact text: two-space indent, struct order, sorted data keys.
  assert.equal(looked.stdout, `${JSON.stringify({ request_id: parsed.request_id, lease_id: '', lease_duration: 0, renewable: false, data: parsed.data, warnings: null }, null, 2)}\n`);

  const table = ok(await cli.run(['token', 'lookup', token]));
  assert.match(table.stdout, /^Key +Value\n--- +-----\naccessor +\S+\n/);
  assert.match(table.stdout, /\ncreation_ttl +1h\n/);
  assert.match(table.stdout, /\npolicies +\[default\]\n/);
  const byAccessor = jsonOf(await cli.run(['token', 'lookup', '-accessor', '-format=json', accessor]));
  assert.equal(byAccessor.data.accessor, accessor);
  assert.equal(byAccessor.data.id, '');
  assert.equal(ok(await cli.run(['token', 'lookup', '-field=display_name', token])).stdout, 'token');
  const self = jsonOf(await cli.run(['token', 'lookup', '-format=json'], undefined, { VAULT_TOKEN: token }));
  assert.equal(self.data.id, token);

  const renewed = ok(await cli.run(['token', 'renew', '-increment=2h', token]));
  assert.match(renewed.stdout, /\ntoken_duration +2h\n/);

  assert.deepEqual(ok(await cli.run(['token', 'capabilities', token, 'sys/mounts'])).stdout, 'deny\n');
  assert.equal(ok(await cli.run(['token', 'capabilities', 'sys/mounts'])).stdout, 'root\n');
  assert.deepEqual(jsonOf(await cli.run(['token', 'capabilities', '-format=json', token, 'sys/mounts'])), ['deny']);

  assert.equal(ok(await cli.run(['token', 'revoke', token])).stdout, 'Success! Revoked token (if it existed)\n');
  const after = await cli.run(['token', 'lookup', token]);
  assert.equal(after.code, 2);
  assert.match(after.stderr, /^Error looking up token: Error making API request\.\n\nURL: POST http:\/\/127\.0\.0\.1:\d+\/v1\/auth\/token\/lookup\nCode: 403\. Errors:\n\n\* /);

  const other = jsonOf(await cli.run(['token', 'create', '-format=json'])).auth;
  ok(await cli.run(['token', 'revoke', '-accessor', other.accessor]));
  assert.equal((await cli.run(['token', 'lookup', other.client_token])).code, 2);
  const usage = await cli.run(['token', 'revoke', '-self', '-accessor']);
  assert.equal(usage.code, 1);
  assert.equal(usage.stderr, 'Cannot use -self with -accessor!\n');
});

test('policy write (file and stdin, name normalised), read, list, delete', async () => {
  const file = join(cli.home, 'p.hcl');
  await writeFile(file, 'path "secret/data/app/*" {\n  capabilities = ["read", "list"]\n}\n');
  const written = ok(await cli.run(['policy', 'write', ' App-Read', file]));
  assert.equal(written.stdout, 'Success! Uploaded policy: app-read\n');
  assert.equal(written.stderr, 'Policy name was converted from " App-Read" to "app-read"\n');
  ok(await cli.run(['policy', 'write', 'from-stdin', '-'], 'path "sys/health" { capabilities = ["read"] }\n'));

  assert.equal(ok(await cli.run(['policy', 'read', 'app-read'])).stdout, 'path "secret/data/app/*" {\n  capabilities = ["read", "list"]\n}\n');
  assert.deepEqual(jsonOf(await cli.run(['policy', 'read', '-format=json', 'app-read'])), { policy: 'path "secret/data/app/*" {\n  capabilities = ["read", "list"]\n}\n' });
  const list = ok(await cli.run(['policy', 'list'])).stdout.split('\n').filter(Boolean);
  assert.deepEqual(list.filter((p) => ['app-read', 'default', 'from-stdin', 'root'].includes(p)).sort(), ['app-read', 'default', 'from-stdin', 'root']);
  assert.ok(jsonOf(await cli.run(['policy', 'list', '-format=json'])).includes('app-read'));

  const token = ok(await cli.run(['token', 'create', '-policy=app-read', '-field=token'])).stdout;
  assert.equal(ok(await cli.run(['token', 'capabilities', token, 'secret/data/app/x'])).stdout, 'list, read\n');

  assert.equal(ok(await cli.run(['policy', 'delete', 'APP-read'])).stdout, 'Success! Deleted policy: app-read\n');
  const gone = await cli.run(['policy', 'read', 'app-read']);
  assert.equal(gone.code, 2);
  assert.equal(gone.stderr, 'No policy named: app-read\n');
  const bad = await cli.run(['policy', 'write', 'broken', '-'], 'path "x" { capabilities = ["fly"] }');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^Error uploading policy: Error making API request\./);
});

test('policy fmt rewrites HCL and JSON canonically and refuses an invalid policy untouched', async () => {
  const file = join(cli.home, 'fmt.hcl');
  await writeFile(file, '# comment\npath "b/*" {\ncapabilities=["read","list"]\n  min_wrapping_ttl = "1h"\n}\npath "a" { capabilities = ["deny"] }\n');
  assert.equal(ok(await cli.run(['policy', 'fmt', file])).stdout, `Success! Formatted policy: ${file}\n`);
  assert.equal(await readFile(file, 'utf8'), 'path "a" {\n  capabilities = ["deny"]\n}\n\npath "b/*" {\n  capabilities     = ["read", "list"]\n  min_wrapping_ttl = "1h"\n}\n');

  const json = join(cli.home, 'fmt.json');
  await writeFile(json, '{"path":{"s/*":{"capabilities":["read"],"allowed_parameters":{"k":["v"]}}}}');
  ok(await cli.run(['policy', 'fmt', json]));
  assert.equal(await readFile(json, 'utf8'), 'path "s/*" {\n  capabilities = ["read"]\n  allowed_parameters = {\n    "k" = ["v"]\n  }\n}\n');

  const invalid = join(cli.home, 'bad.hcl');
  const original = 'path "x" {\n  capabilities = ["fly"]\n}\n';
  await writeFile(invalid, original);
  const res = await cli.run(['policy', 'fmt', invalid]);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /invalid capability/);
  assert.equal(await readFile(invalid, 'utf8'), original);
});
