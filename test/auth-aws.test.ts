/**
 * AWS iam auth over HTTP against a real dev server and the STS stand-in (which verifies SigV4
 * with real HMAC-SHA256): a login signed like the AWS SDK signs it, wildcard bindings,
 * assumed roles, the server ID header, and the known attacks — forged and expired signatures,
 * a request URL or Host not naming the configured STS endpoint, a loose body, an ARN outside
 * the binding, malformed ARNs from STS. Every failure is a 4xx and leaves no token behind.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer, type DevServer, type Api } from './support/server.js';
import { createRequire } from 'node:module';
import { startAwsStsStandin, signGetCallerIdentity, type AwsCredentials } from './standins/aws-sts-standin.js';

const nodeVault = createRequire(import.meta.url)('node-vault') as (options: { endpoint: string; apiVersion?: string }) => Record<string, any>;

let dev: DevServer;
let api: Api;
let sts: Awaited<ReturnType<typeof startAwsStsStandin>>;
const ACCOUNT = '123456789012';
const alice: AwsCredentials = { accessKeyId: 'AKIASTANDINALICE0001', secretAccessKey: 'alice-secret-key' };
const deployer: AwsCredentials = { accessKeyId: 'ASIASTANDINDEPLOY001', secretAccessKey: 'deployer-secret', sessionToken: 'session-token-1' };
const stranger: AwsCredentials = { accessKeyId: 'AKIASTANDINSTRANGER1', secretAccessKey: 'stranger-secret' };
const badArn: AwsCredentials = { accessKeyId: 'AKIASTANDINBADARN001', secretAccessKey: 'bad-arn-secret' };
const twoArns: AwsCredentials = { accessKeyId: 'AKIASTANDINTWOARNS01', secretAccessKey: 'two-arns-secret' };
const SERVER_ID = 'arca.example.com';

async function accessorCount(): Promise<number> {
  const res = await api.call('LIST', 'auth/token/accessors');
  return (res.json.data.keys as string[]).length;
}

async function sign(creds: AwsCredentials, extra: { serverId?: string | null; signingDate?: Date; endpoint?: string; body?: string } = {}) {
  return signGetCallerIdentity({
    endpoint: extra.endpoint ?? sts.endpoint, region: 'us-east-1', credentials: creds,
    serverId: extra.serverId === null ? undefined : extra.serverId ?? SERVER_ID, signingDate: extra.signingDate, body: extra.body,
  });
}

/** A failed login: the given status, a message containing `message`, and no new token. */
async function refused(body: Record<string, unknown>, status: number, message: string | RegExp) {
  const before = await accessorCount();
  const res = await api.call('POST', 'auth/aws/login', body, { 'X-Vault-Token': '' });
  assert.equal(res.status, status, res.text);
  const text = (res.json.errors as string[]).join('\n');
  if (typeof message === 'string') assert.ok(text.includes(message), text);
  else assert.match(text, message);
  assert.equal(await accessorCount(), before);
}

before(async () => {
  sts = await startAwsStsStandin();
  sts.addPrincipal(alice.accessKeyId, { secretAccessKey: alice.secretAccessKey, arn: `arn:aws:iam::${ACCOUNT}:user/dev/alice`, userId: 'AIDASTANDINALICE', account: ACCOUNT });
  sts.addPrincipal(deployer.accessKeyId, { secretAccessKey: deployer.secretAccessKey, sessionToken: deployer.sessionToken, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deployer/build-42`, userId: 'AROASTANDIN:build-42', account: ACCOUNT });
  sts.addPrincipal(stranger.accessKeyId, { secretAccessKey: stranger.secretAccessKey, arn: `arn:aws:iam::999988887777:user/dev/alice`, userId: 'AIDASTRANGER', account: '999988887777' });
  sts.addPrincipal(badArn.accessKeyId, { secretAccessKey: badArn.secretAccessKey, arn: `arn:aws:iam::${ACCOUNT}:user/dev/alice/../x y`, userId: 'AIDABAD', account: ACCOUNT });
  sts.addPrincipal(twoArns.accessKeyId, { secretAccessKey: twoArns.secretAccessKey, arn: `arn:aws:iam::999988887777:user/evil</Arn><Arn>arn:aws:iam::${ACCOUNT}:user/dev/alice`, userId: 'AIDATWO', account: ACCOUNT });
  dev = await startDevServer();
  api = dev.api;
  assert.equal((await api.call('POST', 'sys/auth/aws', { type: 'aws' })).status, 204);
  assert.equal((await api.call('POST', 'auth/aws/config/client', { sts_endpoint: sts.endpoint, sts_region: 'us-east-1', iam_server_id_header_value: SERVER_ID })).status, 204);
  assert.equal((await api.call('POST', 'auth/aws/role/dev', { auth_type: 'iam', bound_iam_principal_arn: `arn:aws:iam::${ACCOUNT}:user/dev/*`, token_policies: 'dev-read', token_ttl: '30m' })).status, 204);
  assert.equal((await api.call('POST', 'auth/aws/role/ci-deployer', { bound_iam_principal_arn: [`arn:aws:iam::${ACCOUNT}:role/ci-deployer`], token_policies: 'deploy' })).status, 204);
});

after(async () => {
  await dev?.close();
  await sts?.close();
});

test('config/client and role read back in Vault field names', async () => {
  const cfg = await api.call('GET', 'auth/aws/config/client');
  assert.equal(cfg.json.data.sts_endpoint, sts.endpoint);
  assert.equal(cfg.json.data.sts_region, 'us-east-1');
  assert.equal(cfg.json.data.iam_server_id_header_value, SERVER_ID);
  const role = await api.call('GET', 'auth/aws/role/dev');
  assert.equal(role.json.data.auth_type, 'iam');
  assert.deepEqual(role.json.data.bound_iam_principal_arn, [`arn:aws:iam::${ACCOUNT}:user/dev/*`]);
  assert.deepEqual(role.json.data.token_policies, ['dev-read']);
  assert.equal(role.json.data.token_ttl, 1800);
  assert.match(role.json.data.role_id, /^[0-9a-f-]{36}$/);
  const list = await api.call('LIST', 'auth/aws/roles');
  assert.deepEqual(list.json.data.keys, ['ci-deployer', 'dev']);
});

test('roles refuse ec2, missing bindings and non-ARN bindings', async () => {
  const ec2 = await api.call('POST', 'auth/aws/role/x', { auth_type: 'ec2', bound_iam_principal_arn: `arn:aws:iam::${ACCOUNT}:user/a` });
  assert.equal(ec2.status, 400);
  assert.match(ec2.json.errors[0], /only "iam"/);
  const none = await api.call('POST', 'auth/aws/role/x', { auth_type: 'iam' });
  assert.equal(none.status, 400);
  const bad = await api.call('POST', 'auth/aws/role/x', { bound_iam_principal_arn: 'arn:aws:iam::12:user/a' });
  assert.equal(bad.status, 400);
  assert.match(bad.json.errors[0], /not an ARN/);
  assert.equal((await api.call('GET', 'auth/aws/role/x')).status, 404);
});

test('login with a SigV4-signed GetCallerIdentity: token with the role policies, wildcard binding on the IAM path', async () => {
  const before = await accessorCount();
  const res = await api.call('POST', 'auth/aws/login', { role: 'dev', ...(await sign(alice)) }, { 'X-Vault-Token': '' });
  assert.equal(res.status, 200, res.text);
  const auth = res.json.auth;
  assert.deepEqual(auth.policies, ['default', 'dev-read']);
  assert.equal(auth.lease_duration, 1800);
  assert.equal(auth.metadata.canonical_arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.equal(auth.metadata.client_arn, `arn:aws:iam::${ACCOUNT}:user/dev/alice`);
  assert.equal(auth.metadata.account_id, ACCOUNT);
  assert.equal(auth.metadata.auth_type, 'iam');
  assert.equal(await accessorCount(), before + 1);
  // The stand-in saw exactly what the client signed, with the configured host.
  const last = sts.received[sts.received.length - 1];
  assert.equal(last.headers.host, new URL(sts.endpoint).host);
  assert.equal(last.headers['x-vault-aws-iam-server-id'], SERVER_ID);
  // The token works and renews (the role still binds the principal).
  const self = await api.call('GET', 'auth/token/lookup-self', undefined, { 'X-Vault-Token': auth.client_token });
  assert.equal(self.status, 200);
  assert.equal(self.json.data.display_name, 'aws-alice');
  const renew = await api.call('POST', 'auth/token/renew-self', {}, { 'X-Vault-Token': auth.client_token });
  assert.equal(renew.status, 200, renew.text);
});

test('assumed role with a session token: canonical role ARN, role defaults to the friendly name', async () => {
  const res = await api.call('POST', 'auth/aws/login', await sign(deployer), { 'X-Vault-Token': '' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.auth.policies, ['default', 'deploy']);
  assert.equal(res.json.auth.metadata.canonical_arn, `arn:aws:iam::${ACCOUNT}:role/ci-deployer`);
  assert.equal(res.json.auth.metadata.role, 'ci-deployer');
});

test('forged signature: STS refuses it, 400 with STS code, no token', async () => {
  const forged: AwsCredentials = { ...alice, secretAccessKey: 'not-alices-key' };
  await refused({ role: 'dev', ...(await sign(forged)) }, 400, 'SignatureDoesNotMatch');
});

test('tampered signed header after signing: refused by STS', async () => {
  const login = await sign(alice);
  const headers = JSON.parse(Buffer.from(login.iam_request_headers, 'base64').toString('utf8'));
  headers['content-type'] = ['application/x-www-form-urlencoded'];
  await refused({ role: 'dev', ...login, iam_request_headers: Buffer.from(JSON.stringify(headers)).toString('base64') }, 400, 'SignatureDoesNotMatch');
});

test('replayed request with an expired X-Amz-Date: refused, no token', async () => {
  const old = new Date(Date.now() - 20 * 60 * 1000);
  await refused({ role: 'dev', ...(await sign(alice, { signingDate: old })) }, 400, 'Signature expired');
});

test('request URL or Host other than the configured STS endpoint: refused before anything is sent', async () => {
  const sent = sts.received.length;
  const elsewhere = await sign(alice, { endpoint: 'http://127.0.0.2:9/' });
  await refused({ role: 'dev', ...elsewhere }, 400, 'iam_request_url does not name the configured STS endpoint');
  const login = await sign(alice);
  // URL right, but the signed Host names another server (a header-controlled endpoint).
  const hostAttack = await sign(alice, { endpoint: 'http://sts.attacker.example/' });
  await refused({ role: 'dev', ...login, iam_request_headers: hostAttack.iam_request_headers }, 400, 'Host header does not name the configured STS endpoint');
  const withQuery = Buffer.from(`${sts.endpoint}/?Action=AssumeRole`).toString('base64');
  await refused({ role: 'dev', ...login, iam_request_url: withQuery }, 400, 'iam_request_url does not name the configured STS endpoint');
  assert.equal(sts.received.length, sent);
});

test('body other than exactly GetCallerIdentity, method other than POST, missing fields: 400', async () => {
  const loose = await sign(alice, { body: 'Action=GetCallerIdentity&Version=2011-06-15&Action=AssumeRole' });
  await refused({ role: 'dev', ...loose }, 400, 'iam_request_body must be exactly');
  const login = await sign(alice);
  await refused({ role: 'dev', ...login, iam_http_request_method: 'GET' }, 400, 'must be POST');
  await refused({ role: 'dev', ...login, iam_request_headers: undefined }, 400, 'missing iam_request_headers');
  await refused({ role: 'dev', ...login, iam_request_body: '***' }, 400, 'not valid base64');
});

test('server ID header missing or wrong: 400', async () => {
  await refused({ role: 'dev', ...(await sign(alice, { serverId: null })) }, 400, 'missing header "X-Vault-AWS-IAM-Server-ID"');
  await refused({ role: 'dev', ...(await sign(alice, { serverId: 'other.example.com' })) }, 400, 'does not match');
});

test('principal outside the bound pattern: 403, no token', async () => {
  await refused({ role: 'dev', ...(await sign(stranger)) }, 403, 'does not belong to the role');
  await refused({ role: 'ci-deployer', ...(await sign(alice)) }, 403, 'does not belong to the role');
  await refused({ role: 'nope', ...(await sign(alice)) }, 400, 'entry for role not found');
});

test('malformed ARN or a second Arn element from STS: 400, no token', async () => {
  await refused({ role: 'dev', ...(await sign(badArn)) }, 400, 'unrecognized');
  await refused({ role: 'dev', ...(await sign(twoArns)) }, 400, 'unrecognized STS response');
});

test('node-vault awsIamLogin works unchanged', async () => {
  const client = nodeVault({ endpoint: api.url });
  const res = await client.awsIamLogin({ role: 'dev', ...(await sign(alice)) });
  assert.deepEqual(res.auth.policies, ['default', 'dev-read']);
  assert.equal(client.token, res.auth.client_token);
});

test('arca login -method=aws signs GetCallerIdentity itself (SigV4 over node:crypto) and logs in', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { Readable } = await import('node:stream');
  const { runCli } = await import('../src/cli/run.js');
  const { COMMANDS } = await import('../src/cli/commands/index.js');
  const run = async (args: string[], env: Record<string, string>) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(COMMANDS, args, {
      stdout: { write: (t: string) => { stdout += t; return true; } },
      stderr: { write: (t: string) => { stderr += t; return true; } },
      stdin: Readable.from([]),
      env: { ARCA_ADDR: dev.server.addresses[0], ...env },
      homeDir: mkdtempSync(join(tmpdir(), 'arca-aws-login-')),
      waitForStop: () => new Promise(() => {}),
    });
    return { code, stdout, stderr };
  };
  const args = ['login', '-method=aws', '-format=json', 'role=dev', `sts_endpoint=${sts.endpoint}`, `header_value=${SERVER_ID}`];
  const ok = await run(args, { AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: alice.secretAccessKey });
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(JSON.parse(ok.stdout).auth.policies.includes('dev-read'));
  const wrong = await run(args, { AWS_ACCESS_KEY_ID: alice.accessKeyId, AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
  assert.equal(wrong.code, 2, 'a signature STS refuses is a failed login');
  const none = await run(args, {});
  assert.equal(none.code, 1);
});
