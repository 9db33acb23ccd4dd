/**
 * LDAP auth against a real OpenLDAP slapd (Debian packages slapd, ldap-utils) started on an
 * ephemeral loopback port with its own config, data and certificates: direct user bind,
 * service bind + search, groups → policies, StartTLS with a verified CA, failover across
 * URLs, wrong password (no token left), lockout, and filter-injection attempts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandExists, fileExists, requireSystem } from './support/requires.js';
import { makeServerCerts } from './support/certs.js';
import { startDevServer, apiClient, type DevServer, type Api } from './support/server.js';

const skip = requireSystem('ldap auth (slapd)',
  { install: 'Debian package slapd', present: () => fileExists('/usr/sbin/slapd') },
  { install: 'Debian package openssl', present: () => commandExists('openssl') },
);

const SUFFIX = 'dc=example,dc=org';
let dir: string;
let slapd: ChildProcess | undefined;
let port: number;
let caPem: string;
let dev: DevServer;
let api: Api;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address() as { port: number };
      s.close(() => resolve(p));
    });
  });
}

async function waitForPort(p: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(p, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('slapd did not start listening');
}

const LDIF = `dn: ${SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,${SUFFIX}
objectClass: organizationalUnit
ou: people

dn: ou=groups,${SUFFIX}
objectClass: organizationalUnit
ou: groups

dn: cn=service,${SUFFIX}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: service
userPassword: service-pw

dn: uid=alice,ou=people,${SUFFIX}
objectClass: inetOrgPerson
uid: alice
cn: Alice Example
sn: Example
userPassword: alice-pw

dn: uid=bob,ou=people,${SUFFIX}
objectClass: inetOrgPerson
uid: bob
cn: Bob Example
sn: Example
userPassword: bob-pw

dn: cn=Engineers,ou=groups,${SUFFIX}
objectClass: groupOfNames
cn: Engineers
member: uid=alice,ou=people,${SUFFIX}

dn: cn=ops,ou=groups,${SUFFIX}
objectClass: posixGroup
cn: ops
gidNumber: 5000
memberUid: alice
memberUid: bob
`;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'arca-slapd-'));
  const certs = makeServerCerts(dir);
  caPem = readFileSync(certs.caCert, 'utf8');
  mkdirSync(join(dir, 'data'));
  const conf = join(dir, 'slapd.conf');
  writeFileSync(conf, [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
    'modulepath /usr/lib/ldap', 'moduleload back_mdb',
    `pidfile ${join(dir, 'slapd.pid')}`,
    `TLSCACertificateFile ${certs.caCert}`, `TLSCertificateFile ${certs.serverCert}`, `TLSCertificateKeyFile ${certs.serverKey}`,
    'database mdb', `suffix "${SUFFIX}"`, `rootdn "cn=admin,${SUFFIX}"`, 'rootpw admin-pw', `directory ${join(dir, 'data')}`,
    'access to attrs=userPassword by anonymous auth by * none', 'access to * by * read', '',
  ].join('\n'));
  writeFileSync(join(dir, 'data.ldif'), LDIF);
  execFileSync('/usr/sbin/slapadd', ['-f', conf, '-l', join(dir, 'data.ldif')], { stdio: 'pipe' });
  port = await freePort();
  slapd = spawn('/usr/sbin/slapd', ['-f', conf, '-h', `ldap://127.0.0.1:${port}/`, '-d', '0'], { stdio: 'ignore' });
  await waitForPort(port);
  dev = await startDevServer();
  api = dev.api;
  assert.equal((await api.call('POST', 'sys/auth/ldap', { type: 'ldap' })).status, 204);
  await api.call('POST', 'auth/ldap/groups/engineers', { policies: 'eng' });
  await api.call('POST', 'auth/ldap/groups/ops', { policies: 'ops-policy' });
  await api.call('POST', 'auth/ldap/users/bob', { policies: 'bob-extra' });
});

after(async () => {
  await dev?.close();
  slapd?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function configure(body: Record<string, unknown>): Promise<void> {
  const base = {
    url: `ldap://127.0.0.1:${port}`, userdn: `ou=people,${SUFFIX}`, userattr: 'uid', groupdn: `ou=groups,${SUFFIX}`,
    binddn: '', bindpass: '', starttls: false, certificate: '', insecure_tls: false, discoverdn: false,
  };
  const res = await api.call('POST', 'auth/ldap/config', { ...base, ...body });
  assert.equal(res.status, 204, JSON.stringify(res.json));
}

async function accessorCount(): Promise<number> {
  return ((await api.call('LIST', 'auth/token/accessors')).json.data.keys as string[]).length;
}

test('direct bind (userattr=name,userdn): groups from groupOfNames and posixGroup map to policies', { skip }, async () => {
  await configure({});
  const read = await api.call('GET', 'auth/ldap/config');
  assert.equal(read.json.data.userattr, 'uid');
  assert.equal('bindpass' in read.json.data, false);
  const login = await apiClient(api.url).call('POST', 'auth/ldap/login/alice', { password: 'alice-pw' });
  assert.equal(login.status, 200, JSON.stringify(login.json));
  assert.deepEqual(login.json.auth.policies, ['default', 'eng', 'ops-policy']);
  assert.deepEqual(login.json.auth.metadata, { username: 'alice' });
  const bob = await apiClient(api.url).call('POST', 'auth/ldap/login/bob', { password: 'bob-pw' });
  assert.deepEqual(bob.json.auth.policies, ['bob-extra', 'default', 'ops-policy']);
  const entity = await api.call('GET', `identity/entity/id/${login.json.auth.entity_id}`);
  assert.equal(entity.json.data.aliases[0].name, `uid=alice,ou=people,${SUFFIX}`);
});

test('wrong password: 400 "failed to bind as user", no token; empty password refused', { skip }, async () => {
  await configure({});
  const before = await accessorCount();
  const res = await apiClient(api.url).call('POST', 'auth/ldap/login/alice', { password: 'wrong' });
  assert.equal(res.status, 400);
  assert.deepEqual(res.json.errors, ['ldap operation failed: failed to bind as user']);
  const empty = await apiClient(api.url).call('POST', 'auth/ldap/login/alice', { password: '' });
  assert.deepEqual(empty.json.errors, ['password cannot be of zero length when passwordless binds are being denied']);
  assert.equal(await accessorCount(), before);
});

test('service bind + search (binddn/bindpass); filter metacharacters in the name do not match others', { skip }, async () => {
  await configure({ binddn: `cn=service,${SUFFIX}`, bindpass: 'service-pw' });
  const ok = await apiClient(api.url).call('POST', 'auth/ldap/login/alice', { password: 'alice-pw' });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  assert.equal((await api.call('GET', `identity/entity/id/${ok.json.auth.entity_id}`)).json.data.aliases.some((a: { name: string }) => a.name === 'alice'), true);
  for (const name of ['*', 'al*', 'alice)(uid=*']) {
    const res = await apiClient(api.url).call('POST', `auth/ldap/login/${encodeURIComponent(name)}`, { password: 'alice-pw' });
    assert.equal(res.status, 400, name);
  }
});

test('StartTLS with the CA certificate; an untrusted CA fails; failover skips a dead URL', { skip }, async () => {
  const dead = await freePort();
  await configure({ url: `ldap://127.0.0.1:${dead},ldap://127.0.0.1:${port}`, starttls: true, certificate: caPem });
  const ok = await apiClient(api.url).call('POST', 'auth/ldap/login/alice', { password: 'alice-pw' });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
  await configure({ starttls: true });
  const untrusted = await apiClient(api.url).call('POST', 'auth/ldap/login/alice', { password: 'alice-pw' });
  assert.equal(untrusted.status, 400);
  assert.match(untrusted.json.errors[0], /failed to connect to LDAP server/);
});

test('lockout after repeated failures on the canonical name', { skip }, async () => {
  await configure({});
  await api.call('POST', 'sys/auth/ldap/tune', { user_lockout_config: { lockout_threshold: 2 } });
  const anon = apiClient(api.url);
  assert.equal((await anon.call('POST', 'auth/ldap/login/bob', { password: 'x' })).status, 400);
  assert.equal((await anon.call('POST', 'auth/ldap/login/BOB', { password: 'x' })).status, 400);
  assert.equal((await anon.call('POST', 'auth/ldap/login/bob', { password: 'bob-pw' })).status, 403);
});
