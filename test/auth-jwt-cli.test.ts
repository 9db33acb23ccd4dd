/**
 * `arca login -method=…` in-process against a dev server: userpass and approle (secret read
 * from stdin, as a hidden prompt does off a terminal), jwt, and the OIDC flow with its local
 * callback listener driven by a stand-in browser and the local issuer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { startDevServer, type DevServer } from './support/server.js';
import { makeKey, sign, startIssuer, type Issuer } from './auth-jwt-issuer.js';
import { COMMANDS } from '../src/cli/commands/index.js';
import { runCli } from '../src/cli/run.js';
import type { CliContext } from '../src/cli/command.js';

let server: DevServer;
let issuer: Issuer;

before(async () => {
  issuer = await startIssuer([await makeKey('ES256', 'cli-1')]);
  server = await startDevServer();
});
after(async () => {
  await server?.close();
  await issuer?.close();
});

interface Run { code: number; stdout: string; stderr: string; home: string }

/** Runs the CLI in-process; `onStderr` sees every stderr write as it happens. */
async function arca(args: string[], stdin = '', onStderr?: (text: string) => void): Promise<Run> {
  const home = mkdtempSync(join(tmpdir(), 'arca-login-'));
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    stdout: { write: (t: string) => { stdout += t; return true; } },
    stderr: { write: (t: string) => { stderr += t; onStderr?.(t); return true; } },
    stdin: Readable.from([Buffer.from(stdin)]),
    env: { ARCA_ADDR: server.server.addresses[0] },
    homeDir: home,
    waitForStop: () => new Promise(() => {}),
  };
  const code = await runCli(COMMANDS, args, ctx);
  return { code, stdout, stderr, home };
}

const storedToken = (home: string) => readFileSync(join(home, '.arca-token'), 'utf8').trim();

async function tokenPolicies(token: string): Promise<string[]> {
  const res = await server.api.call('GET', 'auth/token/lookup-self', undefined, { 'X-Vault-Token': token });
  assert.equal(res.status, 200, res.text);
  return res.json.data.policies;
}

test('userpass: the password comes from stdin when it is not an argument; wrong password is exit 2', async () => {
  assert.equal((await server.api.call('POST', 'sys/auth/userpass', { type: 'userpass' })).status, 204);
  assert.equal((await server.api.call('POST', 'auth/userpass/users/alice', { password: 'pw-alice', token_policies: 'dev' })).status, 204);
  const ok = await arca(['login', '-method=userpass', '-format=json', 'username=alice'], 'pw-alice\n');
  assert.equal(ok.code, 0, ok.stderr);
  const token = JSON.parse(ok.stdout).auth.client_token;
  assert.equal(storedToken(ok.home), token);
  assert.deepEqual(await tokenPolicies(token), ['default', 'dev']);
  const bad = await arca(['login', '-method=userpass', 'username=alice', 'password=wrong']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^Error authenticating: Error making API request\.[\s\S]*Code: 400\. Errors:\n\n\* invalid username or password/);
  const usage = await arca(['login', '-method=userpass']);
  assert.equal(usage.code, 1);
  assert.equal(usage.stderr, "'username' must be specified (e.g. username=alice)\n");
  const unknown = await arca(['login', '-method=kerberos']);
  assert.equal(unknown.code, 1);
});

test('approle with -path, secret_id read from stdin', async () => {
  assert.equal((await server.api.call('POST', 'sys/auth/robots', { type: 'approle' })).status, 204);
  assert.equal((await server.api.call('POST', 'auth/robots/role/ci', { token_policies: 'ci' })).status, 204);
  const roleId = (await server.api.call('GET', 'auth/robots/role/ci/role-id')).json.data.role_id;
  const secretId = (await server.api.call('POST', 'auth/robots/role/ci/secret-id', {})).json.data.secret_id;
  const ok = await arca(['login', '-method=approle', '-path=robots', '-field=token', `role_id=${roleId}`], `${secretId}\n`);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(await tokenPolicies(ok.stdout.trim()), ['ci', 'default']);
});

test('jwt: role and token as arguments', async () => {
  assert.equal((await server.api.call('POST', 'sys/auth/jwt', { type: 'jwt' })).status, 204);
  assert.equal((await server.api.call('POST', 'auth/jwt/config', { jwks_url: `${issuer.url}/jwks`, jwt_supported_algs: 'ES256' })).status, 204);
  assert.equal((await server.api.call('POST', 'auth/jwt/role/ci', { role_type: 'jwt', user_claim: 'sub', bound_audiences: 'arca', token_policies: 'ci' })).status, 204);
  const ok = await arca(['login', '-method=jwt', '-format=json', 'role=ci', `jwt=${await sign(issuer, { aud: 'arca' })}`]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout).auth.policies, ['ci', 'default']);
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The stand-in browser: follows the provider's redirect to the CLI's local listener. */
function visit(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); }).on('error', reject).end();
  });
}

test('oidc: prints the auth URL, receives the redirect on its local listener, completes the login', async () => {
  const port = await freePort();
  const redirect = `http://127.0.0.1:${port}/oidc/callback`;
  assert.equal((await server.api.call('POST', 'sys/auth/oidc', { type: 'oidc' })).status, 204);
  assert.equal((await server.api.call('POST', 'auth/oidc/config', { oidc_discovery_url: issuer.url, oidc_client_id: 'arca-client', oidc_client_secret: 'client-secret', default_role: 'web', jwt_supported_algs: 'ES256' })).status, 204);
  assert.equal((await server.api.call('POST', 'auth/oidc/role/web', { user_claim: 'email', allowed_redirect_uris: redirect, token_policies: 'web' })).status, 204);

  let browser: Promise<number> | undefined;
  const run = arca(['login', '-method=oidc', '-format=json', `port=${port}`, 'listenaddress=127.0.0.1', 'callbackhost=127.0.0.1', 'skip_browser=true'], '', (text) => {
    const match = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(text);
    if (!match || browser) return;
    const auth = new URL(match[1]);
    assert.equal(auth.searchParams.get('redirect_uri'), redirect);
    const code = randomBytes(8).toString('hex');
    issuer.codes.set(code, { challenge: auth.searchParams.get('code_challenge')!, nonce: auth.searchParams.get('nonce')!, claims: { email: 'alice@acme.test' } });
    browser = visit(`${redirect}?state=${encodeURIComponent(auth.searchParams.get('state')!)}&code=${code}`);
  });
  const result = await run;
  assert.equal(result.code, 0, result.stderr);
  assert.equal(await browser, 200);
  assert.match(result.stderr, /Complete the login via your OIDC provider\. Open the following link in your browser:/);
  const auth = JSON.parse(result.stdout).auth;
  assert.deepEqual(auth.policies, ['default', 'web']);
  assert.equal(auth.metadata.role, 'web');
  assert.equal(storedToken(result.home), auth.client_token);
});
