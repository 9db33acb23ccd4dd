import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidRequest } from '../../errors.js';
import type { CallerIdentity } from '../../framework/logical.js';
import { createInmemStorage } from '../../storage/inmem.js';
import { commandExists, requireSystem } from '../../../test/support/requires.js';
import { driver } from '../kv/testing.js';
import { createSshBackend } from './index.js';

const skip = requireSystem('ssh engine (ssh-keygen checks)', { install: 'Debian package openssh-client', present: () => commandExists('ssh-keygen') });
const NOW = Date.parse('2024-01-01T00:00:00Z') / 1000;

const caller: CallerIdentity = {
  tokenAccessor: 'acc', policies: ['root'], displayName: 'token', entityId: '', metadata: {},
  tokenId: 'tid', clientToken: 'hvs.x', tokenType: 'service', isRoot: true,
};

function harness() {
  const storage = createInmemStorage();
  const backend = createSshBackend({
    storage,
    system: { defaultLeaseTtl: () => 3600, maxLeaseTtl: () => 86400, randomBytes: async (n) => randomBytes(n) },
  }, { now: () => new Date(NOW * 1000) });
  return { storage, backend, ...driver(backend, storage, caller) };
}

const dir = mkdtempSync(join(tmpdir(), 'arca-ssh-unit-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function keygen(name: string, type: string, bits?: number): { priv: string; pub: string; path: string } {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', String(bits)] : []), '-N', '', '-C', 'comment', '-f', path]);
  return { priv: readFileSync(path, 'utf8'), pub: readFileSync(`${path}.pub`, 'utf8'), path };
}

/** `ssh-keygen -L` (which also verifies the CA signature) on a certificate; throws on failure. */
function inspect(cert: string): string {
  const path = join(dir, `cert-${randomBytes(4).toString('hex')}.pub`);
  writeFileSync(path, cert);
  const out = spawnSync('ssh-keygen', ['-L', '-f', path], { env: { ...process.env, TZ: 'UTC' }, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`ssh-keygen -L failed: ${out.stderr}`);
  return out.stdout;
}

const USER_ROLE = {
  key_type: 'ca', allow_user_certificates: true, allowed_users: 'alice,bob,carol', default_user: 'alice',
  allowed_extensions: 'permit-pty,permit-port-forwarding', default_extensions: { 'permit-pty': '' },
  allowed_critical_options: 'force-command,source-address', ttl: '30m', max_ttl: '2h',
};

test('generated ed25519 CA signs a user key: ssh-keygen -L shows principals, validity, options and extensions', { skip }, async () => {
  const h = harness();
  const gen = await h.call('update', 'config/ca', { key_type: 'ed25519' });
  const caPub = gen.data!.public_key as string;
  assert.match(caPub, /^ssh-ed25519 [A-Za-z0-9+/=]+\n$/);
  const raw = await h.call('read', 'public_key');
  assert.deepEqual(raw.raw, { status: 200, contentType: 'text/plain', body: caPub });
  assert.deepEqual((await h.call('read', 'config/ca')).data, { public_key: caPub });
  await h.call('update', 'roles/ops', USER_ROLE);
  const user = keygen('user-ed', 'ed25519');
  const res = await h.call('update', 'sign/ops', {
    public_key: user.pub, valid_principals: 'bob,carol', ttl: '1h',
    extensions: { 'permit-pty': '', 'permit-port-forwarding': '' }, critical_options: { 'force-command': '/bin/true' },
  });
  const signed = res.data!.signed_key as string;
  assert.match(signed, /^ssh-ed25519-cert-v01@openssh\.com [A-Za-z0-9+/=]+\n$/);
  const serial = BigInt('0x' + (res.data!.serial_number as string));
  const keyHash = createHash('sha256').update(Buffer.from(user.pub.split(' ')[1]!, 'base64')).digest('hex');
  const out = inspect(signed);
  assert.match(out, /Type: ssh-ed25519-cert-v01@openssh\.com user certificate/);
  assert.match(out, /Signing CA: ED25519 SHA256:\S+ \(using ssh-ed25519\)/);
  assert.match(out, new RegExp(`Key ID: "vault-token-${keyHash}"`));
  assert.match(out, new RegExp(`Serial: ${serial}\\n`));
  assert.match(out, /Valid: from 2023-12-31T23:59:30 to 2024-01-01T01:00:00/);
  assert.match(out, /Principals: \n\s+bob\n\s+carol\n\s+Critical Options: \n\s+force-command \/bin\/true\n\s+Extensions: \n\s+permit-port-forwarding\n\s+permit-pty\n/);
  // The CA fingerprint ssh-keygen reports is the configured CA's.
  writeFileSync(join(dir, 'ca.pub'), caPub);
  const caFingerprint = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'ca.pub')], { encoding: 'utf8' }).split(' ')[1];
  assert.ok(out.includes(`ED25519 ${caFingerprint} `));
});

test('a certificate whose signature is altered is rejected by ssh-keygen', { skip }, async () => {
  const h = harness();
  await h.call('update', 'config/ca', { key_type: 'ed25519' });
  await h.call('update', 'roles/ops', USER_ROLE);
  const signed = (await h.call('update', 'sign/ops', { public_key: keygen('user-flip', 'ed25519').pub })).data!.signed_key as string;
  const [type, b64] = signed.trim().split(' ');
  const blob = Buffer.from(b64!, 'base64');
  blob[blob.length - 5] ^= 0x01;
  assert.throws(() => inspect(`${type} ${blob.toString('base64')}\n`), /ssh-keygen -L failed/);
  assert.match(inspect(signed), /Principals: \n\s+alice\n/);
});

test('every CA key type signs certificates that ssh-keygen accepts, with the requested RSA signer', { skip }, async () => {
  const cases: Array<[Record<string, unknown>, RegExp, string]> = [
    [{ key_type: 'rsa', key_bits: 2048 }, /RSA SHA256:\S+ \(using rsa-sha2-512\)/, 'rsa-sha2-512'],
    [{ key_type: 'ssh-rsa', key_bits: 2048 }, /RSA SHA256:\S+ \(using rsa-sha2-256\)/, 'default'],
    [{ key_type: 'ec', key_bits: 384 }, /ECDSA SHA256:\S+ \(using ecdsa-sha2-nistp384\)/, 'default'],
    [{ key_type: 'ecdsa-sha2-nistp521' }, /ECDSA SHA256:\S+ \(using ecdsa-sha2-nistp521\)/, 'default'],
    [{ key_type: 'ecdsa' }, /ECDSA SHA256:\S+ \(using ecdsa-sha2-nistp256\)/, 'default'],
  ];
  const subjects = [keygen('s-rsa', 'rsa', 2048), keygen('s-ec', 'ecdsa', 256), keygen('s-ed', 'ed25519'), keygen('s-ec521', 'ecdsa', 521)];
  for (const [config, signer, algorithmSigner] of cases) {
    const h = harness();
    await h.call('update', 'config/ca', config);
    await h.call('update', 'roles/ops', { ...USER_ROLE, algorithm_signer: algorithmSigner });
    for (const subject of subjects) {
      const out = inspect((await h.call('update', 'sign/ops', { public_key: subject.pub })).data!.signed_key as string);
      assert.match(out, signer);
      assert.match(out, /Principals: \n\s+alice\n/);
    }
  }
});

test('an imported OpenSSH CA key (as ssh-keygen writes it) signs, and public_key is its public half', { skip }, async () => {
  for (const [type, bits] of [['ed25519'], ['rsa', 2048], ['ecdsa', 384]] as Array<[string, number?]>) {
    const h = harness();
    const ca = keygen(`ca-${type}`, type, bits);
    assert.equal(await h.call('update', 'config/ca', { private_key: ca.priv, public_key: ca.pub }).then((r) => r.data), undefined);
    const pub = (await h.call('read', 'public_key')).raw!.body as string;
    assert.equal(pub, ca.pub.split(' ').slice(0, 2).join(' ') + '\n');
    await h.call('update', 'roles/ops', USER_ROLE);
    const cert = (await h.call('update', 'sign/ops', { public_key: keygen(`u-${type}`, 'ed25519').pub })).data!.signed_key as string;
    const certPath = join(dir, `imported-${type}-cert.pub`);
    writeFileSync(certPath, cert);
    // ssh-keygen -L names the CA by fingerprint; it matches the imported key's.
    const fp = execFileSync('ssh-keygen', ['-l', '-f', `${ca.path}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
    assert.ok(inspect(cert).includes(fp));
  }
});

test('config/ca refuses a second configuration, mismatched halves and bad keys; delete clears it', { skip }, async () => {
  const h = harness();
  const a = keygen('mis-a', 'ed25519');
  const b = keygen('mis-b', 'ed25519');
  await assert.rejects(h.call('update', 'config/ca', { private_key: a.priv, public_key: b.pub }), (e) => e instanceof InvalidRequest && e.message === 'public_key does not match private_key');
  await assert.rejects(h.call('update', 'config/ca', { private_key: 'garbage' }), (e) => e instanceof InvalidRequest && e.message === 'failed to parse private key');
  await assert.rejects(h.call('update', 'config/ca', { private_key: a.priv, generate_signing_key: true }), InvalidRequest);
  await assert.rejects(h.call('update', 'config/ca', { generate_signing_key: false }), (e) => e instanceof InvalidRequest && e.message === 'missing public_key and private_key');
  await assert.rejects(h.call('update', 'config/ca', { key_type: 'dsa' }), (e) => e instanceof InvalidRequest && e.message === 'unsupported key_type');
  assert.deepEqual(await h.storage.list(''), []);
  await h.call('update', 'config/ca', { private_key: a.priv });
  await assert.rejects(h.call('update', 'config/ca', { key_type: 'ed25519' }), (e) => e instanceof InvalidRequest && e.message === 'keys are already configured; delete them before reconfiguring');
  await h.call('delete', 'config/ca');
  await assert.rejects(h.call('read', 'public_key'), (e) => e instanceof Error && e.constructor.name === 'NotFound');
  await h.call('update', 'config/ca', { key_type: 'ed25519' });
});

test('issue/:role returns an OpenSSH private key whose public half is the certified key', { skip }, async () => {
  const h = harness();
  await h.call('update', 'config/ca', { key_type: 'ed25519' });
  await h.call('update', 'roles/ops', USER_ROLE);
  for (const [keyType, expect] of [['ed25519', /ssh-ed25519-cert/], ['ec', /ecdsa-sha2-nistp256-cert/], ['rsa', /ssh-rsa-cert/]] as const) {
    const res = await h.call('update', 'issue/ops', { key_type: keyType, valid_principals: 'carol' });
    assert.equal(res.data!.private_key_type, keyType);
    const keyPath = join(dir, `issued-${keyType}`);
    writeFileSync(keyPath, res.data!.private_key as string, { mode: 0o600 });
    const derived = execFileSync('ssh-keygen', ['-y', '-f', keyPath], { encoding: 'utf8' }).trim().split(' ').slice(0, 2);
    const cert = res.data!.signed_key as string;
    assert.match(cert, expect);
    writeFileSync(`${keyPath}-cert.pub`, cert);
    // ssh-keygen -L prints the certified key's fingerprint; compare with the private key's.
    writeFileSync(`${keyPath}.pub`, derived.join(' ') + '\n');
    const fp = execFileSync('ssh-keygen', ['-l', '-f', `${keyPath}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
    const out = inspect(cert);
    assert.ok(out.includes(`Public key: ${derived[0] === 'ssh-ed25519' ? 'ED25519' : derived[0] === 'ssh-rsa' ? 'RSA' : 'ECDSA'}-CERT ${fp}`), out);
    assert.match(out, /Principals: \n\s+carol\n/);
  }
});

test('the role decides principals, key ids, key sizes, options, extensions, ttl and certificate types', { skip }, async () => {
  const h = harness();
  await h.call('update', 'config/ca', { key_type: 'ed25519' });
  await h.call('update', 'roles/ops', USER_ROLE);
  await h.call('update', 'roles/hosts', { key_type: 'ca', allow_host_certificates: true, allowed_domains: 'example.com', allow_subdomains: true, ttl: '1h' });
  await h.call('update', 'roles/open', { key_type: 'ca', allow_user_certificates: true, allowed_users: '*', allowed_extensions: '*', allow_user_key_ids: true, key_id_format: 'x' });
  const pub = keygen('policy', 'ed25519').pub;
  const rejects = async (role: string, body: Record<string, unknown>, message: string) =>
    assert.rejects(h.call('update', `sign/${role}`, { public_key: pub, ...body }), (e) => e instanceof InvalidRequest && e.message === message, message);
  await rejects('ops', { valid_principals: 'root' }, 'a requested principal is not a valid value for valid_principals');
  await rejects('ops', { valid_principals: '' }, 'empty valid principals not allowed by role');
  await rejects('ops', { extensions: { 'permit-X11-forwarding': '' } }, 'extensions not on allowed list');
  await rejects('ops', { critical_options: { 'verify-required': '' } }, 'critical options not on allowed list');
  await rejects('ops', { key_id: 'mine' }, 'setting key_id is not allowed by role');
  await rejects('ops', { ttl: '3h' }, 'ttl is larger than maximum allowed');
  await rejects('ops', { cert_type: 'host', valid_principals: 'a.example.com' }, 'host certificates are not allowed by the role');
  await rejects('hosts', {}, 'user certificates are not allowed by the role');
  await rejects('hosts', { cert_type: 'host', valid_principals: 'example.com' }, 'a requested principal is not a valid value for valid_principals');
  await rejects('hosts', { cert_type: 'host', valid_principals: 'a.example.org' }, 'a requested principal is not a valid value for valid_principals');
  await rejects('nope', {}, 'unknown role');
  await assert.rejects(h.call('update', 'sign/ops', { public_key: 'ssh-ed25519 AAAA' }), InvalidRequest);
  await assert.rejects(h.call('update', 'roles/bad', { key_type: 'otp' }), (e) => e instanceof InvalidRequest && e.message === 'only key_type "ca" is supported');
  await assert.rejects(h.call('update', 'roles/bad', { key_type: 'ca', ttl: '2h', max_ttl: '1h' }), (e) => e instanceof InvalidRequest && e.message === 'ttl cannot be greater than max_ttl');
  await assert.rejects(h.call('update', 'roles/bad', { key_type: 'ca', algorithm_signer: 'rsa-sha2-512' }).then(() => h.call('update', 'sign/bad', { public_key: pub })), (e) => e instanceof InvalidRequest && e.message === 'algorithm_signer must be default for a CA key that is not RSA');

  if (!skip) {
    const host = inspect((await h.call('update', 'sign/hosts', { public_key: pub, cert_type: 'host', valid_principals: 'db.example.com' })).data!.signed_key as string);
    assert.match(host, /host certificate/);
    assert.match(host, /Valid: from 2023-12-31T23:59:30 to 2024-01-01T01:00:00/);
    assert.match(host, /Principals: \n\s+db\.example\.com\n\s+Critical Options: \(none\)\n\s+Extensions: \(none\)/);
    const open = inspect((await h.call('update', 'sign/open', { public_key: pub, valid_principals: 'anyone', key_id: 'mine', extensions: { 'no-touch-required': '' } })).data!.signed_key as string);
    assert.match(open, /Key ID: "mine"/);
    assert.match(open, /Valid: from 2023-12-31T23:59:30 to 2024-01-01T01:00:00/);
    assert.match(open, /Extensions: \n\s+no-touch-required\n/);
    const formatted = inspect((await h.call('update', 'sign/open', { public_key: pub, valid_principals: 'anyone' })).data!.signed_key as string);
    assert.match(formatted, /Key ID: "x"/);
  }
  await h.call('update', 'roles/sizes', { ...USER_ROLE, allowed_user_key_lengths: { rsa: 3072, 'ssh-ed25519': 0 } });
  await rejects('sizes', { public_key: keygen('small-rsa', 'rsa', 2048).pub }, 'the public key is smaller than the role allows');
  await rejects('sizes', { public_key: keygen('ec-any', 'ecdsa', 256).pub }, 'the public key type is not allowed by the role');
  assert.equal((await h.call('update', 'sign/sizes', { public_key: pub })).data!.signed_key !== undefined, true);
  assert.deepEqual((await h.call('read', 'roles/sizes')).data!.allowed_user_key_lengths, { rsa: 3072, ed25519: 0 });
  await assert.rejects(h.call('update', 'roles/sizes', { key_type: 'ca', allowed_user_key_lengths: { dsa: 1024 } }), InvalidRequest);
  await h.call('delete', 'roles/sizes');
  const listed = await h.call('list', 'roles/');
  assert.deepEqual(listed.data, { keys: ['bad', 'hosts', 'open', 'ops'], key_info: { bad: { key_type: 'ca' }, hosts: { key_type: 'ca' }, open: { key_type: 'ca' }, ops: { key_type: 'ca' } } });
  assert.equal((await h.call('read', 'roles/ops')).data!.max_ttl, 7200);
  await h.call('delete', 'roles/bad');
  assert.equal((await h.call('read', 'roles/bad')).data, undefined);
});
