/**
 * TLS certificate auth over real mutual TLS: an in-process server with an HTTPS listener
 * (certificates made with openssl), client certificates from a trusted CA, an untrusted CA,
 * and a CRL made with `openssl ca`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:https';
import { commandExists, requireSystem } from './support/requires.js';
import { makeServerCerts, type TestCerts } from './support/certs.js';
import { defaultDevConfig } from '../src/config/index.js';
import { startServer, type RunningServer } from '../src/server/run.js';
import { createLogger } from '../src/util/log.js';
import { Readable } from 'node:stream';
import { COMMANDS } from '../src/cli/commands/index.js';
import { runCli } from '../src/cli/run.js';

const skip = requireSystem('tls', { install: 'Debian package openssl', present: () => commandExists('openssl') });

interface Client { cert: string; key: string }

let dir: string;
let certs: TestCerts;
let server: RunningServer;
let url: string;
let rootToken: string;
const clients: Record<string, Client> = {};

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA key + self-signed certificate named `name` (`extra`: more -addext values). */
function makeCa(name: string, subject = `/CN=${name}`, ...extra: string[]): void {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.pem`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', ...extra.flatMap((e) => ['-addext', e]));
}

/** An intermediate CA `name` signed by CA `issuer`. */
function makeSubCa(name: string, issuer: string, pathLen?: number): void {
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
  writeFileSync(join(dir, `${name}.ext`), `basicConstraints=critical,CA:TRUE${pathLen === undefined ? '' : `,pathlen:${pathLen}`}\nkeyUsage=critical,keyCertSign,cRLSign\n`);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
}

/** A client that sends the certificates named after its own in the TLS handshake. */
const sending = (client: Client, ...names: string[]): Client => ({ ...client, cert: client.cert + names.map((n) => readFileSync(join(dir, `${n}.pem`), 'utf8')).join('') });

/** A client certificate `name` signed by CA `ca`. */
function makeClient(name: string, ca: string, subject: string, san: string, eku = 'clientAuth'): Client {
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=${eku}\nbasicConstraints=CA:FALSE\n`);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  const client = { cert: readFileSync(join(dir, `${name}.pem`), 'utf8'), key: readFileSync(join(dir, `${name}.key`), 'utf8') };
  clients[name] = client;
  return client;
}

/** A CRL from CA `ca` revoking the certificates named. */
function makeCrl(ca: string, revoke: string[]): string {
  writeFileSync(join(dir, `${ca}.cnf`), `[ ca ]\ndefault_ca = d\n[ d ]\ndatabase = ${ca}.index\ncrlnumber = ${ca}.crlnumber\ndefault_md = sha256\ndefault_crl_days = 2\n`);
  writeFileSync(join(dir, `${ca}.index`), '');
  writeFileSync(join(dir, `${ca}.crlnumber`), '01\n');
  for (const name of revoke) openssl('ca', '-config', `${ca}.cnf`, '-keyfile', `${ca}.key`, '-cert', `${ca}.pem`, '-revoke', `${name}.pem`);
  openssl('ca', '-config', `${ca}.cnf`, '-keyfile', `${ca}.key`, '-cert', `${ca}.pem`, '-gencrl', '-out', `${ca}.crl`);
  return readFileSync(join(dir, `${ca}.crl`), 'utf8');
}

interface Reply { status: number; json: any }

function call(method: string, path: string, options: { token?: string; client?: Client; body?: unknown; agent?: Agent } = {}): Promise<Reply> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/${path}`, {
      method,
      ca: readFileSync(certs.caCert),
      ...(options.client ? { cert: options.client.cert, key: options.client.key } : {}),
      agent: options.agent ?? false,
      headers: { ...(options.token ? { 'X-Vault-Token': options.token } : {}), ...(payload ? { 'Content-Type': 'application/json' } : {}) },
    }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const admin = (method: string, path: string, body?: unknown) => call(method, path, { token: rootToken, body });
const login = (client: Client | undefined, body: Record<string, unknown> = {}) => call('POST', 'auth/cert/login', { client, body });

async function accessorCount(): Promise<number> {
  const res = await admin('LIST', 'auth/token/accessors');
  assert.equal(res.status, 200);
  return res.json.data.keys.length;
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'arca-cert-'));
  certs = makeServerCerts(dir);
  makeCa('trusted');
  makeCa('untrusted');
  makeClient('alice', 'trusted', '/O=Acme/OU=engineering/CN=alice.acme.test', 'DNS:alice.acme.test');
  makeClient('mallory', 'trusted', '/O=Acme/OU=engineering/CN=mallory.acme.test', 'DNS:mallory.acme.test');
  makeClient('revoked', 'trusted', '/O=Acme/OU=engineering/CN=revoked.acme.test', 'DNS:revoked.acme.test');
  makeClient('outsider', 'untrusted', '/O=Acme/OU=engineering/CN=alice.acme.test', 'DNS:alice.acme.test');
  makeClient('serveronly', 'trusted', '/O=Acme/OU=engineering/CN=svc.acme.test', 'DNS:svc.acme.test', 'serverAuth');
  const config = { ...defaultDevConfig('127.0.0.1:0'), logLevel: 'error' as const };
  config.listeners = [{ ...config.listeners[0], tlsDisable: false, tlsCertFile: certs.serverCert, tlsKeyFile: certs.serverKey }];
  server = await startServer(config, { logger: createLogger({ level: 'error', write: () => {} }) });
  url = server.addresses[0];
  const init = await server.composed.core.initialize({ secretShares: 1, secretThreshold: 1, recoveryShares: 1, recoveryThreshold: 1 });
  await server.composed.core.submitUnsealShare(Buffer.from(init.keys[0]));
  rootToken = init.rootToken;
  assert.equal((await admin('POST', 'sys/auth/cert', { type: 'cert' })).status, 204);
});
after(async () => { await server?.close(); });

test('certs/:name and crls/:name round-trip; bad input is refused', { skip }, async () => {
  let res = await admin('POST', 'auth/cert/certs/web', {
    certificate: readFileSync(join(dir, 'trusted.pem'), 'utf8'), allowed_common_names: '*.acme.test',
    allowed_dns_sans: 'alice.acme.test,revoked.acme.test,svc.acme.test', allowed_organizational_units: 'engineering',
    token_policies: 'web', token_ttl: '1h', display_name: 'web',
  });
  assert.equal(res.status, 204, JSON.stringify(res.json));
  res = await admin('GET', 'auth/cert/certs/web');
  assert.deepEqual(res.json.data.allowed_dns_sans, ['alice.acme.test', 'revoked.acme.test', 'svc.acme.test']);
  assert.deepEqual(res.json.data.token_policies, ['web']);
  assert.equal(res.json.data.token_ttl, 3600);
  res = await admin('LIST', 'auth/cert/certs');
  assert.deepEqual(res.json.data.keys, ['web']);
  res = await admin('POST', 'auth/cert/certs/bad', { certificate: 'not a pem' });
  assert.equal(res.status, 400);
  assert.deepEqual(res.json.errors, ['failed to parse certificate: no PEM certificate found']);
  res = await admin('POST', 'auth/cert/crls/bad', { crl: '-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----' });
  assert.deepEqual(res.json.errors, ['failed to parse CRL']);
});

test('mutual-TLS login: a trusted client gets a token with the entry\'s policies and metadata', { skip }, async () => {
  const res = await login(clients.alice);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.deepEqual(res.json.auth.policies, ['default', 'web']);
  assert.equal(res.json.auth.lease_duration, 3600);
  assert.equal(res.json.auth.metadata.cert_name, 'web');
  assert.equal(res.json.auth.metadata.common_name, 'alice.acme.test');
  assert.match(res.json.auth.metadata.serial_number, /^[0-9a-f]+$/);
  // Renewal over the same certificate re-verifies it.
  const renew = await call('POST', 'auth/token/renew-self', { token: res.json.auth.client_token, client: clients.alice, body: {} });
  assert.equal(renew.status, 200, JSON.stringify(renew.json));
  const renewOther = await call('POST', 'auth/token/renew-self', { token: res.json.auth.client_token, client: clients.revoked, body: {} });
  assert.equal(renewOther.status, 400);
});

test('failed mutual-TLS logins: 400 with Vault\'s messages, no token left behind', { skip }, async () => {
  const crl = makeCrl('trusted', ['revoked']);
  assert.equal((await admin('POST', 'auth/cert/crls/trusted', { crl })).status, 204);
  const stored = await admin('GET', 'auth/cert/crls/trusted');
  assert.equal(Object.keys(stored.json.data.serials).length, 1);

  const before = await accessorCount();
  const cases: Array<[string, Client | undefined, string]> = [
    ['no client certificate', undefined, 'client certificate must be supplied'],
    ['untrusted CA', clients.outsider, 'invalid certificate or no client certificate supplied'],
    ['revoked serial', clients.revoked, 'no chain matching all constraints could be found for this login certificate'],
    ['DNS SAN not allowed', clients.mallory, 'no chain matching all constraints could be found for this login certificate'],
    ['no clientAuth usage', clients.serveronly, 'invalid certificate or no client certificate supplied'],
  ];
  for (const [name, client, message] of cases) {
    const res = await login(client);
    assert.equal(res.status, 400, name);
    assert.deepEqual(res.json.errors, [message], name);
  }
  // A CN constraint that excludes alice; restricting the login to that entry fails.
  assert.equal((await admin('POST', 'auth/cert/certs/ops', { certificate: readFileSync(join(dir, 'trusted.pem'), 'utf8'), allowed_common_names: 'ops-*.acme.test', token_policies: 'ops' })).status, 204);
  let res = await login(clients.alice, { name: 'ops' });
  assert.deepEqual(res.json.errors, ['no chain matching all constraints could be found for this login certificate']);
  assert.equal(await accessorCount(), before);
  // Without the name, alice still matches the web entry; deleting the CRL un-revokes.
  res = await login(clients.alice);
  assert.equal(res.json.auth.metadata.cert_name, 'web');
  assert.equal((await admin('DELETE', 'auth/cert/crls/trusted')).status, 204);
  res = await login(clients.revoked);
  assert.equal(res.status, 200, JSON.stringify(res.json));
});

test('a pinned non-CA client certificate is trusted by itself', { skip }, async () => {
  assert.equal((await admin('POST', 'auth/cert/certs/pinned', { certificate: clients.outsider.cert, token_policies: 'pinned' })).status, 204);
  const res = await login(clients.outsider, { name: 'pinned' });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.deepEqual(res.json.auth.policies, ['default', 'pinned']);
});

test('arca login -method=cert presents the client certificate over mutual TLS', { skip }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'arca-cert-cli-'));
  const runArca = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(COMMANDS, args, {
      stdout: { write: (t: string) => { stdout += t; return true; } },
      stderr: { write: (t: string) => { stderr += t; return true; } },
      stdin: Readable.from([]),
      env: { ARCA_ADDR: url, ARCA_CACERT: certs.caCert },
      homeDir: home,
      waitForStop: () => new Promise(() => {}),
    });
    return { code, stdout, stderr };
  };
  const ok = await runArca(['login', '-method=cert', '-format=json', `-client-cert=${join(dir, 'alice.pem')}`, `-client-key=${join(dir, 'alice.key')}`, 'name=web']);
  assert.equal(ok.code, 0, ok.stderr);
  const auth = JSON.parse(ok.stdout).auth;
  assert.equal(auth.metadata.cert_name, 'web');
  assert.equal(readFileSync(join(home, '.arca-token'), 'utf8').trim(), auth.client_token);
  const refused = await runArca(['login', '-method=cert', `-client-cert=${join(dir, 'outsider.pem')}`, `-client-key=${join(dir, 'outsider.key')}`, 'name=web']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /Code: 400\. Errors:\n\n\* invalid certificate or no client certificate supplied/);
  const missing = await runArca(['login', '-method=cert']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'cert login needs -client-cert and -client-key (or ARCA_CLIENT_CERT and ARCA_CLIENT_KEY)\n');
  const unreadable = await runArca(['login', '-method=cert', `-client-cert=${join(dir, 'absent.pem')}`, `-client-key=${join(dir, 'alice.key')}`]);
  assert.equal(unreadable.code, 1);
  assert.equal(unreadable.stderr, 'cannot read the CA, client certificate or key file: ENOENT\n');
});

test('client-sent intermediates: leaf → intermediates → trusted certificate; a client certificate is never an anchor', { skip }, async () => {
  makeCa('chainroot');
  makeSubCa('chainint', 'chainroot');
  makeSubCa('chainsub', 'chainint');
  const leaf = makeClient('chainleaf', 'chainint', '/CN=chain.acme.test', 'DNS:chain.acme.test');
  const deep = makeClient('deepleaf', 'chainsub', '/CN=deep.acme.test', 'DNS:deep.acme.test');
  assert.equal((await admin('POST', 'auth/cert/certs/chain', { certificate: readFileSync(join(dir, 'chainroot.pem'), 'utf8'), token_policies: 'chain' })).status, 204);

  let res = await login(sending(leaf, 'chainint'), { name: 'chain' });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.deepEqual(res.json.auth.policies, ['chain', 'default']);
  assert.equal(res.json.auth.metadata.common_name, 'chain.acme.test');
  const renew = await call('POST', 'auth/token/renew-self', { token: res.json.auth.client_token, client: sending(leaf, 'chainint'), body: {} });
  assert.equal(renew.status, 200, JSON.stringify(renew.json));
  // Two intermediates, the leaf's issuer first.
  res = await login(sending(deep, 'chainsub', 'chainint'), { name: 'chain' });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  // The trusted certificate may itself be an intermediate: then the leaf alone is enough.
  assert.equal((await admin('POST', 'auth/cert/certs/chainmid', { certificate: readFileSync(join(dir, 'chainint.pem'), 'utf8'), token_policies: 'mid' })).status, 204);
  res = await login(leaf, { name: 'chainmid' });
  assert.equal(res.status, 200, JSON.stringify(res.json));

  // The client's own inventions: a "root" and an "intermediate" copying the real root's name and key
  // identifier (so only the signature tells them apart), and a leaf's key used as a CA.
  const rootKeyId = execFileSync('openssl', ['x509', '-in', join(dir, 'chainroot.pem'), '-noout', '-ext', 'subjectKeyIdentifier'], { encoding: 'utf8' }).split('\n')[1]!.trim();
  makeCa('fakeroot', '/CN=chainroot', `subjectKeyIdentifier=${rootKeyId}`);
  makeSubCa('fakeint', 'fakeroot');
  const forged = makeClient('forgedleaf', 'fakeint', '/CN=chain.acme.test', 'DNS:chain.acme.test');
  const underLeaf = makeClient('underleaf', 'chainleaf', '/CN=chain.acme.test', 'DNS:chain.acme.test');
  makeSubCa('int0', 'chainroot', 0);
  makeSubCa('sub0', 'int0');
  const tooDeep = makeClient('toodeep', 'sub0', '/CN=chain.acme.test', 'DNS:chain.acme.test');
  const refused: Array<[string, Client]> = [
    ['intermediate not sent', leaf],
    ['only the root sent', sending(leaf, 'chainroot')],
    ['self-made intermediate and root', sending(forged, 'fakeint', 'fakeroot')],
    ['a non-CA certificate as intermediate', sending(underLeaf, 'chainleaf', 'chainint')],
    ['path length exceeded', sending(tooDeep, 'sub0', 'int0')],
  ];
  for (const [name, client] of refused) {
    res = await login(client, { name: 'chain' });
    assert.equal(res.status, 400, name);
    assert.deepEqual(res.json.errors, ['invalid certificate or no client certificate supplied'], name);
  }

  // A CRL revoking the intermediate refuses the chain through it, until the CRL is deleted.
  assert.equal((await admin('POST', 'auth/cert/crls/chainroot', { crl: makeCrl('chainroot', ['chainint']) })).status, 204);
  res = await login(sending(leaf, 'chainint'), { name: 'chain' });
  assert.equal(res.status, 400);
  assert.deepEqual(res.json.errors, ['no chain matching all constraints could be found for this login certificate']);
  assert.equal((await admin('DELETE', 'auth/cert/crls/chainroot')).status, 204);
  res = await login(sending(leaf, 'chainint'), { name: 'chain' });
  assert.equal(res.status, 200, JSON.stringify(res.json));
});

test('a client resuming its TLS session still presents its intermediates (the server issues no session tickets)', { skip }, async () => {
  makeCa('resumeroot');
  makeSubCa('resumeint', 'resumeroot');
  const leaf = sending(makeClient('resumeleaf', 'resumeint', '/CN=resume.acme.test', 'DNS:resume.acme.test'), 'resumeint');
  assert.equal((await admin('POST', 'auth/cert/certs/resume', { certificate: readFileSync(join(dir, 'resumeroot.pem'), 'utf8'), token_policies: 'resume' })).status, 204);
  // One agent, a new connection per request: Node's agent resumes the session when the server allows it.
  const agent = new Agent({ keepAlive: false, maxCachedSessions: 10 });
  try {
    for (let i = 0; i < 3; i++) {
      const res = await call('POST', 'auth/cert/login', { client: leaf, body: { name: 'resume' }, agent });
      assert.equal(res.status, 200, `login ${i + 1}: ${JSON.stringify(res.json)}`);
    }
  } finally {
    agent.destroy();
  }
});
