/**
 * `arca lease revoke -prefix` and `-force` against a real dev server process, on real token
 * leases (tokens from auth/token/create and auth/token/create-orphan), plus the sudo refusals of
 * sys/leases/revoke-prefix and sys/leases/revoke-force.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, type Api } from './support/api.js';
import { ok, startDevCli, type DevCli } from './cli-support.js';

let cli: DevCli;
let api: Api;
before(async () => {
  cli = await startDevCli();
  api = apiClient(cli.server.url, 'root');
});
after(async () => { await cli.close(); });

async function token(path: string, policies?: string[]): Promise<string> {
  const res = await api.call('POST', path, { ttl: '1h', ...(policies ? { policies } : {}) });
  assert.equal(res.status, 200, res.text);
  return res.json.auth.client_token;
}

async function alive(id: string): Promise<boolean> {
  const res = await api.call('GET', 'auth/token/lookup-self', undefined, { 'X-Vault-Token': id });
  return res.status === 200;
}

test('lease revoke -prefix revokes the token leases under a path, whole segments only', async () => {
  const a = await token('auth/token/create');
  const b = await token('auth/token/create');
  const orphan = await token('auth/token/create-orphan');
  const listed = await api.call('LIST', 'sys/leases/lookup/auth/token/create');
  assert.equal(listed.json.data.keys.length >= 2, true, listed.text);

  const out = ok(await cli.run(['lease', 'revoke', '-prefix', '-sync', 'auth/token/create']));
  assert.equal(out.stdout, 'Success! Revoked any leases with prefix: auth/token/create\n');
  assert.equal(await alive(a), false);
  assert.equal(await alive(b), false);
  assert.equal(await alive(orphan), true, 'auth/token/create-orphan is not under auth/token/create');

  const forced = ok(await cli.run(['lease', 'revoke', '-force', '-prefix', 'auth/token/create-orphan']));
  assert.equal(forced.stdout, 'Success! Force revoked any leases with prefix: auth/token/create-orphan\n');
  assert.match(forced.stderr, /^Warning! Force-removing leases/);
  assert.equal(await alive(orphan), false);
});

test('revoke-prefix and revoke-force need sudo: 403 over HTTP and from the CLI', async () => {
  const put = await api.call('PUT', 'sys/policies/acl/lease-admin', {
    policy: 'path "sys/leases/*" { capabilities = ["update"] }\npath "sys/revoke-force/*" { capabilities = ["update"] }',
  });
  assert.equal(put.status, 204, put.text);
  const victim = await token('auth/token/create');
  const limited = await token('auth/token/create', ['lease-admin']);
  const headers = { 'X-Vault-Token': limited };
  for (const path of ['sys/leases/revoke-prefix/auth/token/create', 'sys/leases/revoke-force/auth/token/create', 'sys/revoke-force/auth/token/create']) {
    const res = await api.call('PUT', path, undefined, headers);
    assert.equal(res.status, 403, `${path}: ${res.text}`);
    assert.ok(Array.isArray(res.json.errors));
  }
  const env = { VAULT_TOKEN: limited };
  for (const args of [['-prefix'], ['-force', '-prefix']]) {
    const res = await cli.run(['lease', 'revoke', ...args, 'auth/token/create'], undefined, env);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, /Code: 403\. Errors:/);
  }
  assert.equal(await alive(victim), true);
  assert.equal(await alive(limited), true);
});
