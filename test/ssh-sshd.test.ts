/**
 * The SSH engine over HTTP against a real dev server: CA set-up, the unauthenticated
 * public_key, signing and issuing. Then a real `sshd` (Debian openssh-server) on a loopback
 * port trusting our CA (TrustedUserCAKeys) accepts a login with a signed user key and refuses
 * one signed for another principal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { apiClient } from './support/api.js';
import { commandExists, fileExists, requireSystem } from './support/requires.js';
import { startDevServer, type DevServer } from './support/server.js';

const SSHD = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => existsSync(p));
const clientSkip = requireSystem('ssh engine (ssh-keygen)', { install: 'Debian package openssh-client', present: () => commandExists('ssh-keygen') && commandExists('ssh') });
const sshdSkip = clientSkip || requireSystem('ssh engine against sshd', { install: 'Debian package openssh-server', present: () => SSHD !== undefined || commandExists('sshd') || fileExists('/usr/sbin/sshd') });

let dev: DevServer;
let dir: string;
const user = userInfo().username;
const call = (method: string, path: string, body?: unknown) => dev.api.call(method, path, body);

before(async () => {
  dev = await startDevServer();
  dir = mkdtempSync(join(tmpdir(), 'arca-ssh-'));
  assert.equal((await call('POST', 'sys/mounts/ssh', { type: 'ssh' })).status, 204);
  assert.equal((await call('POST', 'sys/mounts/ssh-rsa', { type: 'ssh' })).status, 204);
});
after(async () => {
  await dev.close();
  rmSync(dir, { recursive: true, force: true });
});

function keygen(name: string, type = 'ed25519'): { path: string; pub: string } {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', path]);
  return { path, pub: readFileSync(`${path}.pub`, 'utf8') };
}

test('CA, public_key without a token, roles and sign over HTTP', { skip: clientSkip }, async () => {
  const ca = await call('POST', 'ssh/config/ca', { key_type: 'ed25519' });
  assert.equal(ca.status, 200, ca.text);
  const caPub = ca.json.data.public_key as string;
  const anonymous = await apiClient(dev.api.url).call('GET', 'ssh/public_key');
  assert.equal(anonymous.status, 200);
  assert.match(String(anonymous.headers['content-type']), /^text\/plain/);
  assert.equal(anonymous.text, caPub);
  assert.equal((await call('POST', 'ssh-rsa/config/ca', { key_type: 'rsa', key_bits: 2048 })).status, 200);

  for (const mount of ['ssh', 'ssh-rsa']) {
    const role = await call('POST', `${mount}/roles/login`, {
      key_type: 'ca', allow_user_certificates: true, allowed_users: `${user},nobody-else`, default_user: user,
      default_extensions: { 'permit-pty': '' }, ttl: '10m', max_ttl: '1h', algorithm_signer: mount === 'ssh-rsa' ? 'rsa-sha2-512' : 'default',
    });
    assert.equal(role.status, 204, role.text);
  }
  const listed = await call('LIST', 'ssh/roles');
  assert.deepEqual(listed.json.data.keys, ['login']);

  const key = keygen('http-user');
  const signed = await call('POST', 'ssh/sign/login', { public_key: key.pub, valid_principals: user, ttl: '5m' });
  assert.equal(signed.status, 200, signed.text);
  assert.match(signed.json.data.serial_number, /^[0-9a-f]+$/);
  writeFileSync(`${key.path}-cert.pub`, signed.json.data.signed_key);
  const out = execFileSync('ssh-keygen', ['-L', '-f', `${key.path}-cert.pub`], { encoding: 'utf8' });
  assert.match(out, new RegExp(`Principals: \\n\\s+${user}\\n`));
  assert.match(out, /Extensions: \n\s+permit-pty\n/);

  const refused = await call('POST', 'ssh/sign/login', { public_key: key.pub, valid_principals: 'root-not-allowed' });
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.json, { errors: ['a requested principal is not a valid value for valid_principals'] });
  const noRole = await call('POST', 'ssh/sign/missing', { public_key: key.pub });
  assert.equal(noRole.status, 400);

  const issued = await call('POST', 'ssh-rsa/issue/login', { key_type: 'ed25519' });
  assert.equal(issued.status, 200, issued.text);
  assert.match(issued.json.data.private_key, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  assert.match(issued.json.data.signed_key, /^ssh-ed25519-cert-v01@openssh\.com /);
});

function run(command: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.once('error', reject);
    child.once('close', (status) => { clearTimeout(timer); resolve({ status, stderr }); });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not listen: ${log()}`);
}

test('sshd with TrustedUserCAKeys accepts a certificate we signed, and refuses others', { skip: sshdSkip }, async () => {
  // The previous test configured both CAs and roles; make sure they exist on their own too.
  if ((await call('GET', 'ssh/config/ca')).status !== 200) {
    await call('POST', 'ssh/config/ca', { key_type: 'ed25519' });
    await call('POST', 'ssh-rsa/config/ca', { key_type: 'rsa', key_bits: 2048 });
    for (const mount of ['ssh', 'ssh-rsa']) {
      await call('POST', `${mount}/roles/login`, { key_type: 'ca', allow_user_certificates: true, allowed_users: `${user},nobody-else`, default_user: user, ttl: '10m' });
    }
  }
  const anonymous = apiClient(dev.api.url);
  const trusted = (await anonymous.call('GET', 'ssh/public_key')).text + (await anonymous.call('GET', 'ssh-rsa/public_key')).text;
  writeFileSync(join(dir, 'trusted-ca.pub'), trusted);
  const hostKey = keygen('host_key');
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey.path}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `TrustedUserCAKeys ${join(dir, 'trusted-ca.pub')}`,
    'AuthorizedKeysFile none',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    'StrictModes no',
    'LogLevel VERBOSE',
    '',
  ].join('\n'));
  // Running as root, sshd insists on its privilege separation directory.
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const sshdPath = SSHD ?? 'sshd';
  let log = '';
  const sshd = spawn(sshdPath, ['-D', '-e', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  sshd.stdout!.on('data', (c: Buffer) => { log += c.toString(); });
  sshd.stderr!.on('data', (c: Buffer) => { log += c.toString(); });
  try {
    await waitForPort(port, sshd, () => log);
    // Asynchronous, so sshd's log keeps flowing into `log` while ssh runs.
    const login = (key: string, cert: string | undefined) => run('ssh', [
      '-F', '/dev/null', '-i', key, ...(cert ? ['-o', `CertificateFile=${cert}`] : []),
      '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'ConnectTimeout=10', '-p', String(port), `${user}@127.0.0.1`, 'true',
    ]);

    for (const [mount, type] of [['ssh', 'ed25519'], ['ssh-rsa', 'ecdsa']] as const) {
      const key = keygen(`login-${mount}`, type);
      const signed = await call('POST', `${mount}/sign/login`, { public_key: key.pub, valid_principals: user });
      assert.equal(signed.status, 200, signed.text);
      writeFileSync(`${key.path}-cert.pub`, signed.json.data.signed_key);
      const ok = await login(key.path, `${key.path}-cert.pub`);
      assert.equal(ok.status, 0, `login with a ${mount} certificate failed: ${ok.stderr}\n${log}`);

      const other = keygen(`other-${mount}`, type);
      const wrong = await call('POST', `${mount}/sign/login`, { public_key: other.pub, valid_principals: 'nobody-else' });
      writeFileSync(`${other.path}-cert.pub`, wrong.json.data.signed_key);
      assert.equal((await login(other.path, `${other.path}-cert.pub`)).status, 255, 'a certificate for another principal must be refused');
      assert.equal((await login(other.path, undefined)).status, 255, 'a key without a certificate must be refused');
    }
  } finally {
    sshd.kill('SIGTERM');
    if (sshd.exitCode === null) await new Promise((r) => sshd.once('exit', r));
  }
});
