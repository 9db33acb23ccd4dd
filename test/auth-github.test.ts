/**
 * GitHub auth over HTTP against a real dev server and the GitHub REST stand-in (GitHub
 * Enterprise-style base_url): organization ID lookup, team and user maps → policies, teams of
 * other organizations ignored, pagination, team names as external group aliases, renewal that
 * re-checks membership, and refusals (wrong org, wrong organization_id, bad token) that leave no
 * token behind.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer, type DevServer, type Api } from './support/server.js';
import { createRequire } from 'node:module';
import { startGithubStandin, type StandinGithubUser } from './standins/github-standin.js';

const nodeVault = createRequire(import.meta.url)('node-vault') as (options: { endpoint: string; apiVersion?: string }) => Record<string, any>;

let dev: DevServer;
let api: Api;
let gh: Awaited<ReturnType<typeof startGithubStandin>>;
let accessor: string;
const ORG = { login: 'Arca-Org', id: 42 };
const OTHER = { login: 'other-org', id: 7 };
const alice: StandinGithubUser = {
  login: 'Alice', id: 1001, orgs: [OTHER, ORG],
  teams: [{ name: 'Platform Team', slug: 'platform-team', org: ORG }, { name: 'ops', slug: 'ops', org: OTHER }],
};

async function accessorCount(): Promise<number> {
  const res = await api.call('LIST', 'auth/token/accessors');
  return (res.json.data.keys as string[]).length;
}

async function refused(token: string, status: number, message: string) {
  const before = await accessorCount();
  const res = await api.call('POST', 'auth/github/login', { token }, { 'X-Vault-Token': '' });
  assert.equal(res.status, status, res.text);
  assert.ok((res.json.errors as string[]).join('\n').includes(message), res.text);
  assert.equal(await accessorCount(), before);
}

before(async () => {
  gh = await startGithubStandin({ prefix: '/api/v3/' });
  gh.addOrg(ORG);
  gh.addOrg(OTHER);
  gh.addUser('ghp_alice', alice);
  gh.addUser('ghp_bob', { login: 'bob', id: 1002, orgs: [OTHER], teams: [{ name: 'ops', slug: 'ops', org: OTHER }] });
  // 130 organizations: the required one is on the second page.
  const many = Array.from({ length: 129 }, (_, i) => ({ login: `org-${i}`, id: 5000 + i }));
  gh.addUser('ghp_carol', { login: 'carol', id: 1003, orgs: [...many, ORG], teams: [] });
  dev = await startDevServer();
  api = dev.api;
  assert.equal((await api.call('POST', 'sys/auth/github', { type: 'github' })).status, 204);
  accessor = (await api.call('GET', 'sys/auth')).json.data['github/'].accessor;
  const cfg = await api.call('POST', 'auth/github/config', { organization: 'arca-org', base_url: gh.baseUrl.replace(/\/$/, ''), token_ttl: '1h' });
  assert.equal(cfg.status, 204, cfg.text);
  assert.equal((await api.call('POST', 'auth/github/map/teams/platform-team', { value: 'platform,deploy' })).status, 204);
  assert.equal((await api.call('POST', 'auth/github/map/teams/ops', { value: 'ops-pol' })).status, 204);
  assert.equal((await api.call('POST', 'auth/github/map/users/alice', { value: 'alice-pol' })).status, 204);
});

after(async () => {
  await dev?.close();
  await gh?.close();
});

test('config reads back with the organization ID looked up and base_url normalised', async () => {
  const res = await api.call('GET', 'auth/github/config');
  assert.equal(res.status, 200);
  assert.equal(res.json.data.organization, 'arca-org');
  assert.equal(res.json.data.organization_id, 42);
  assert.equal(res.json.data.base_url, gh.baseUrl);
  assert.equal(res.json.data.token_ttl, 3600);
  const teams = await api.call('LIST', 'auth/github/map/teams');
  assert.deepEqual(teams.json.data.keys, ['ops', 'platform-team']);
  const team = await api.call('GET', 'auth/github/map/teams/Platform-Team');
  assert.equal(team.json.data.value, 'platform,deploy');
  const missing = await api.call('POST', 'auth/github/config', { base_url: gh.baseUrl });
  assert.equal(missing.status, 204);
});

test('login: team and user maps of the configured org only; Bearer token auth to the API', async () => {
  const before = await accessorCount();
  const res = await api.call('POST', 'auth/github/login', { token: 'ghp_alice' }, { 'X-Vault-Token': '' });
  assert.equal(res.status, 200, res.text);
  const auth = res.json.auth;
  assert.deepEqual(auth.policies, ['alice-pol', 'default', 'deploy', 'platform']);
  assert.deepEqual(auth.metadata, { org: 'Arca-Org', username: 'Alice' });
  assert.equal(auth.lease_duration, 3600);
  assert.equal(await accessorCount(), before + 1);
  const userCall = gh.seen.find((s) => s.path === '/api/v3/user');
  assert.equal(userCall?.authorization, 'Bearer ghp_alice');
  const self = await api.call('GET', 'auth/token/lookup-self', undefined, { 'X-Vault-Token': auth.client_token });
  assert.equal(self.json.data.display_name, 'github-Alice');
  assert.ok(self.json.data.entity_id);
});

test('team names become group aliases: an external group adds its policies', async () => {
  const group = await api.call('POST', 'identity/group', { name: 'gh-platform', type: 'external', policies: 'from-team' });
  assert.equal(group.status, 200, group.text);
  const alias = await api.call('POST', 'identity/group-alias', { name: 'Platform Team', mount_accessor: accessor, canonical_id: group.json.data.id });
  assert.equal(alias.status, 200, alias.text);
  await api.call('PUT', 'sys/policies/acl/from-team', { policy: 'path "sys/policies/acl/*" { capabilities = ["read"] }' });
  const res = await api.call('POST', 'auth/github/login', { token: 'ghp_alice' }, { 'X-Vault-Token': '' });
  assert.equal(res.status, 200);
  const token = { 'X-Vault-Token': res.json.auth.client_token };
  assert.equal((await api.call('GET', 'sys/policies/acl/from-team', undefined, token)).status, 200);
  const read = await api.call('GET', `identity/group/id/${group.json.data.id}`);
  assert.deepEqual(read.json.data.member_entity_ids, [res.json.auth.entity_id]);
  // The policy came from the external group: deleting the group takes it away.
  await api.call('DELETE', `identity/group/id/${group.json.data.id}`);
  assert.equal((await api.call('GET', 'sys/policies/acl/from-team', undefined, token)).status, 403);
});

test('membership found on a later page of /user/orgs', async () => {
  const res = await api.call('POST', 'auth/github/login', { token: 'ghp_carol' }, { 'X-Vault-Token': '' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.auth.policies, ['default']);
  assert.ok(gh.seen.some((s) => s.path === '/api/v3/user/orgs'));
});

test('user outside the organization: 400 "user is not part of required org", no token', async () => {
  await refused('ghp_bob', 400, 'user is not part of required org');
});

test('bad or missing token: 400, no token', async () => {
  await refused('ghp_nobody', 400, 'Bad credentials');
  await refused('', 400, 'missing token');
});

test('organization_id pins the organization: a same-named org with another ID is refused', async () => {
  assert.equal((await api.call('POST', 'auth/github/config', { organization_id: 43 })).status, 204);
  await refused('ghp_alice', 400, 'user is not part of required org');
  assert.equal((await api.call('POST', 'auth/github/config', { organization_id: 42 })).status, 204);
});

test('renewal re-checks membership: refused once the user left the org', async () => {
  gh.addUser('ghp_dave', { login: 'dave', id: 1004, orgs: [ORG], teams: [{ name: 'platform-team', slug: 'platform-team', org: ORG }] });
  const res = await api.call('POST', 'auth/github/login', { token: 'ghp_dave' }, { 'X-Vault-Token': '' });
  assert.equal(res.status, 200);
  const token = res.json.auth.client_token;
  assert.equal((await api.call('POST', 'auth/token/renew-self', {}, { 'X-Vault-Token': token })).status, 200);
  gh.addUser('ghp_dave', { login: 'dave', id: 1004, orgs: [OTHER], teams: [] });
  const renew = await api.call('POST', 'auth/token/renew-self', {}, { 'X-Vault-Token': token });
  assert.equal(renew.status, 400, renew.text);
  assert.match(renew.json.errors[0], /not part of required org/);
});

test('config refuses an unknown organization and a base_url with a query', async () => {
  const unknown = await api.call('POST', 'auth/github/config', { organization: 'no-such-org' });
  assert.equal(unknown.status, 400, unknown.text);
  const query = await api.call('POST', 'auth/github/config', { base_url: `${gh.baseUrl}?x=1` });
  assert.equal(query.status, 400);
  assert.equal((await api.call('GET', 'auth/github/config')).json.data.organization, 'arca-org');
});

test('node-vault githubLogin works unchanged', async () => {
  const client = nodeVault({ endpoint: api.url });
  const res = await client.githubLogin({ token: 'ghp_alice' });
  assert.ok(res.auth.client_token);
  assert.equal(client.token, res.auth.client_token);
  assert.ok(res.auth.policies.includes('platform'));
});

test('arca login -method=github takes the token from VAULT_AUTH_GITHUB_TOKEN and stores the new token', async () => {
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { Readable } = await import('node:stream');
  const { runCli } = await import('../src/cli/run.js');
  const { COMMANDS } = await import('../src/cli/commands/index.js');
  const home = mkdtempSync(join(tmpdir(), 'arca-gh-login-'));
  let stdout = '';
  let stderr = '';
  const code = await runCli(COMMANDS, ['login', '-method=github', '-format=json'], {
    stdout: { write: (t: string) => { stdout += t; return true; } },
    stderr: { write: (t: string) => { stderr += t; return true; } },
    stdin: Readable.from([]),
    env: { ARCA_ADDR: dev.server.addresses[0], VAULT_AUTH_GITHUB_TOKEN: 'ghp_alice' },
    homeDir: home,
    waitForStop: () => new Promise(() => {}),
  });
  assert.equal(code, 0, stderr);
  const token = JSON.parse(stdout).auth.client_token as string;
  assert.equal(readFileSync(join(home, '.arca-token'), 'utf8').trim(), token);
  assert.ok(JSON.parse(stdout).auth.policies.includes('alice-pol'));
});
