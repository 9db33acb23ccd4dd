/**
 * PKI engine against a real in-process server and the real openssl: chains verify (root and
 * through an intermediate), CRLs list revoked serials, `openssl ocsp` gets good then revoked,
 * a TLS handshake with an issued certificate succeeds, leases revoke certificates, and role
 * constraints refuse names with 400.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Server } from 'node:tls';
import { commandExists, requireSystem } from './support/requires.js';
import { startDevServer, type DevServer } from './support/server.js';

const skip = requireSystem('pki', { install: 'Debian package openssl', present: () => commandExists('openssl') });
const dir = mkdtempSync(join(tmpdir(), 'arca-pki-'));

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content.endsWith('\n') ? content : `${content}\n`);
  return p;
}

function openssl(...args: string[]): { status: number; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** For openssl calls that talk to the in-process server: never block the event loop. */
function opensslAsync(...args: string[]): Promise<{ status: number; out: string }> {
  return new Promise((resolve) => {
    execFile('openssl', args, { encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('pki engine', { skip }, () => {
  let dev: DevServer;
  let rootPem: string;

  before(async () => {
    dev = await startDevServer();
    const mount = await dev.api.call('POST', 'sys/mounts/pki', { type: 'pki', config: { max_lease_ttl: '87600h' } });
    assert.equal(mount.status, 204, mount.text);
    const root = await dev.api.call('POST', 'pki/root/generate/internal', { common_name: 'Arca Test Root', key_type: 'ec', key_bits: 256, ttl: '8760h' });
    assert.equal(root.status, 200, root.text);
    assert.equal(root.json.data.private_key, undefined);
    rootPem = root.json.data.certificate;
    const urls = await dev.api.call('POST', 'pki/config/urls', { ocsp_servers: [`${dev.api.url}/v1/pki/ocsp`], crl_distribution_points: [`${dev.api.url}/v1/pki/crl`] });
    assert.equal(urls.status, 204, urls.text);
    const role = await dev.api.call('POST', 'pki/roles/web', {
      allowed_domains: 'example.com', allow_subdomains: true, key_type: 'ec', key_bits: 256, ttl: '1h', max_ttl: '24h',
    });
    assert.equal(role.status, 200, role.text);
  });

  after(async () => {
    await dev?.close();
  });

  it('serves the CA as DER, PEM and chain without a token', async () => {
    const anon = { ...dev.api, token: '' };
    const pem = await dev.api.call('GET', 'pki/ca/pem', undefined, { 'X-Vault-Token': '' });
    assert.equal(pem.status, 200);
    assert.equal(pem.text.trim(), rootPem.trim());
    const chain = await dev.api.call('GET', 'pki/ca_chain');
    assert.equal(chain.text.trim(), rootPem.trim());
    const der = await dev.api.call('GET', 'pki/ca');
    assert.equal(der.headers['content-type'], 'application/pkix-cert');
    void anon;
    const text = openssl('x509', '-in', file('root.pem', rootPem), '-noout', '-text').out;
    assert.match(text, /CA:TRUE/);
    assert.match(text, /Certificate Sign, CRL Sign/);
    assert.match(text, /Subject: CN = Arca Test Root/);
  });

  it('issues a certificate that openssl verifies against the root', async () => {
    const res = await dev.api.call('POST', 'pki/issue/web', { common_name: 'app.example.com', alt_names: 'api.example.com', ip_sans: '127.0.0.1' });
    assert.equal(res.status, 200, res.text);
    const data = res.json.data;
    assert.equal(data.private_key_type, 'ec');
    assert.match(data.private_key, /BEGIN EC PRIVATE KEY/);
    assert.deepEqual(data.ca_chain, [rootPem.trim()]);
    assert.match(data.serial_number, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    const verify = openssl('verify', '-CAfile', file('root.pem', rootPem), file('leaf.pem', data.certificate));
    assert.equal(verify.status, 0, verify.out);
    assert.match(verify.out, /leaf\.pem: OK/);
    const text = openssl('x509', '-in', join(dir, 'leaf.pem'), '-noout', '-text').out;
    assert.match(text, /DNS:app\.example\.com, DNS:api\.example\.com, IP Address:127\.0\.0\.1/);
    assert.match(text, /TLS Web Server Authentication, TLS Web Client Authentication/);
    assert.match(text, /OCSP - URI:http:\/\/127\.0\.0\.1/);
    const fetched = await dev.api.call('GET', `pki/cert/${data.serial_number}`);
    assert.equal(fetched.json.data.certificate.trim(), data.certificate.trim());
    assert.equal(fetched.json.data.revocation_time, 0);
    assert.equal(fetched.json.data.revocation_time_rfc3339, '');
    assert.equal(fetched.json.data.issuer_id, undefined);
    const list = await dev.api.call('LIST', 'pki/certs');
    assert.ok(list.json.data.keys.includes(data.serial_number));
  });

  it('refuses names outside the role with 400', async () => {
    for (const body of [
      { common_name: 'evil.org' },
      { common_name: 'example.com' }, // bare domain without allow_bare_domains
      { common_name: 'app.example.com', alt_names: 'other.net' },
      { common_name: 'bad_host!.example.com' },
    ]) {
      const res = await dev.api.call('POST', 'pki/issue/web', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(Array.isArray(res.json.errors) && res.json.errors.length === 1);
    }
    const unknown = await dev.api.call('POST', 'pki/issue/nope', { common_name: 'app.example.com' });
    assert.equal(unknown.status, 400);
    const glob = await dev.api.call('POST', 'pki/roles/glob', { allowed_domains: 'build-*.example.org', allow_glob_domains: true, key_type: 'ec' });
    assert.equal(glob.status, 200);
    assert.equal((await dev.api.call('POST', 'pki/issue/glob', { common_name: 'build-42.example.org' })).status, 200);
    assert.equal((await dev.api.call('POST', 'pki/issue/glob', { common_name: 'deploy-42.example.org' })).status, 400);
    const noIp = await dev.api.call('POST', 'pki/roles/noip', { allowed_domains: 'example.com', allow_subdomains: true, allow_ip_sans: false, key_type: 'ec' });
    assert.equal(noIp.status, 200);
    assert.equal((await dev.api.call('POST', 'pki/issue/noip', { common_name: 'a.example.com', ip_sans: '10.0.0.1' })).status, 400);
    const badRole = await dev.api.call('POST', 'pki/roles/bad', { key_type: 'dsa' });
    assert.equal(badRole.status, 400);
  });

  it('completes a real TLS handshake with an issued server certificate', async () => {
    const res = await dev.api.call('POST', 'pki/issue/web', { common_name: 'tls.example.com' });
    assert.equal(res.status, 200, res.text);
    const server: Server = createServer({ cert: res.json.data.certificate, key: res.json.data.private_key }, (socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const received = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, servername: 'tls.example.com', ca: rootPem }, () => {
          assert.equal(socket.authorized, true);
        });
        let text = '';
        socket.on('data', (d) => { text += d.toString(); });
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      assert.equal(received, 'hello');
      // The same certificate does not pass for another host name.
      await assert.rejects(new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, servername: 'other.example.com', ca: rootPem }, () => resolve(socket.end()));
        socket.on('error', reject);
      }), /altnames|Hostname/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers openssl ocsp good, then revoked after revoke; the CRL lists the serial', async () => {
    const res = await dev.api.call('POST', 'pki/issue/web', { common_name: 'ocsp.example.com' });
    const leaf = file('ocsp-leaf.pem', res.json.data.certificate);
    const ca = file('root.pem', rootPem);
    const ask = () => opensslAsync('ocsp', '-issuer', ca, '-cert', leaf, '-CAfile', ca, '-url', `${dev.api.url}/v1/pki/ocsp`);
    const good = await ask();
    assert.equal(good.status, 0, good.out);
    assert.match(good.out, /Response verify OK/);
    assert.match(good.out, /ocsp-leaf\.pem: good/);

    const revoke = await dev.api.call('POST', 'pki/revoke', { serial_number: res.json.data.serial_number });
    assert.equal(revoke.status, 200, revoke.text);
    assert.equal(revoke.json.data.state, 'revoked');
    assert.equal(typeof revoke.json.data.revocation_time, 'number');

    const revoked = await ask();
    assert.match(revoked.out, /Response verify OK/);
    assert.match(revoked.out, /ocsp-leaf\.pem: revoked/);

    const crlPem = await dev.api.call('GET', 'pki/crl/pem');
    assert.equal(crlPem.status, 200);
    const crlText = openssl('crl', '-in', file('crl.pem', crlPem.text), '-noout', '-text');
    assert.equal(crlText.status, 0, crlText.out);
    const serialHex = res.json.data.serial_number.replace(/:/g, '').toUpperCase();
    assert.ok(crlText.out.includes(`Serial Number: ${serialHex}`), crlText.out);
    const crlVerify = openssl('crl', '-in', join(dir, 'crl.pem'), '-CAfile', ca, '-noout');
    assert.match(crlVerify.out, /verify OK/);
    // openssl verify with the CRL now refuses the certificate.
    const withCrl = openssl('verify', '-crl_check', '-CAfile', ca, '-CRLfile', join(dir, 'crl.pem'), leaf);
    assert.notEqual(withCrl.status, 0);
    assert.match(withCrl.out, /certificate revoked/);
    const der = await dev.api.call('GET', 'pki/crl');
    assert.equal(der.headers['content-type'], 'application/pkix-crl');
    const rotate = await dev.api.call('GET', 'pki/crl/rotate');
    assert.equal(rotate.json.data.success, true);
    const fetched = await dev.api.call('GET', `pki/cert/${res.json.data.serial_number}`);
    assert.equal(fetched.json.data.revocation_time, revoke.json.data.revocation_time);
  });

  it('answers OCSP over GET with the base64 request in the path', async () => {
    const res = await dev.api.call('POST', 'pki/issue/web', { common_name: 'get.example.com' });
    const leaf = file('get-leaf.pem', res.json.data.certificate);
    const ca = file('root.pem', rootPem);
    execFileSync('openssl', ['ocsp', '-issuer', ca, '-cert', leaf, '-no_nonce', '-reqout', join(dir, 'req.der')]);
    const b64 = encodeURIComponent(readFileSync(join(dir, 'req.der')).toString('base64'));
    const reply = await fetch(`${dev.api.url}/v1/pki/ocsp/${b64}`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('content-type'), 'application/ocsp-response');
    writeFileSync(join(dir, 'resp.der'), Buffer.from(await reply.arrayBuffer()));
    const check = openssl('ocsp', '-respin', join(dir, 'resp.der'), '-issuer', ca, '-cert', leaf, '-CAfile', ca);
    assert.match(check.out, /Response verify OK/);
    assert.match(check.out, /get-leaf\.pem: good/);
    const garbage = await fetch(`${dev.api.url}/v1/pki/ocsp/AAAA`);
    assert.equal(garbage.status, 400);
  });

  it('revokes the certificate when its lease is revoked (generate_lease)', async () => {
    const role = await dev.api.call('POST', 'pki/roles/leased', { allowed_domains: 'example.com', allow_subdomains: true, key_type: 'ec', generate_lease: true, ttl: '1h' });
    assert.equal(role.status, 200);
    const res = await dev.api.call('POST', 'pki/issue/leased', { common_name: 'lease.example.com' });
    assert.equal(res.status, 200, res.text);
    assert.match(res.json.lease_id, /^pki\/issue\/leased\//);
    assert.equal(res.json.renewable, false);
    const revoke = await dev.api.call('PUT', 'sys/leases/revoke', { lease_id: res.json.lease_id });
    assert.equal(revoke.status, 204, revoke.text);
    const fetched = await dev.api.call('GET', `pki/cert/${res.json.data.serial_number}`);
    assert.ok(fetched.json.data.revocation_time > 0);
  });

  it('signs a CSR under a role and verbatim', async () => {
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'csr.key'),
      '-subj', '/CN=csr.example.com', '-addext', 'subjectAltName=DNS:alt.example.com', '-out', join(dir, 'req.csr')], { stdio: 'ignore' });
    const csr = readFileSync(join(dir, 'req.csr'), 'utf8');
    const signed = await dev.api.call('POST', 'pki/sign/web', { csr });
    assert.equal(signed.status, 200, signed.text);
    assert.equal(signed.json.data.private_key, undefined);
    const leaf = file('signed.pem', signed.json.data.certificate);
    assert.equal(openssl('verify', '-CAfile', join(dir, 'root.pem'), leaf).status, 0);
    assert.match(openssl('x509', '-in', leaf, '-noout', '-text').out, /DNS:csr\.example\.com, DNS:alt\.example\.com/);
    // The role's domains still apply to CSR names.
    execFileSync('openssl', ['req', '-new', '-key', join(dir, 'csr.key'), '-subj', '/CN=evil.org', '-out', join(dir, 'evil.csr')], { stdio: 'ignore' });
    const refused = await dev.api.call('POST', 'pki/sign/web', { csr: readFileSync(join(dir, 'evil.csr'), 'utf8') });
    assert.equal(refused.status, 400);
    const verbatim = await dev.api.call('POST', 'pki/sign-verbatim', { csr: readFileSync(join(dir, 'evil.csr'), 'utf8'), ttl: '1h' });
    assert.equal(verbatim.status, 200, verbatim.text);
    assert.match(openssl('x509', '-in', file('verbatim.pem', verbatim.json.data.certificate), '-noout', '-subject').out, /CN = evil\.org/);
    const rsaRole = await dev.api.call('POST', 'pki/roles/rsa-only', { allow_any_name: true, key_type: 'rsa', key_bits: 2048 });
    assert.equal(rsaRole.status, 200);
    assert.equal((await dev.api.call('POST', 'pki/sign/rsa-only', { csr })).status, 400);
  });

  it('issues through an intermediate that openssl verifies up to the root', async () => {
    assert.equal((await dev.api.call('POST', 'sys/mounts/pki_int', { type: 'pki', config: { max_lease_ttl: '43800h' } })).status, 204);
    const gen = await dev.api.call('POST', 'pki_int/intermediate/generate/internal', { common_name: 'Arca Test Intermediate', key_type: 'rsa', key_bits: 2048 });
    assert.equal(gen.status, 200, gen.text);
    assert.match(gen.json.data.csr, /BEGIN CERTIFICATE REQUEST/);
    const signed = await dev.api.call('POST', 'pki/root/sign-intermediate', { csr: gen.json.data.csr, common_name: 'Arca Test Intermediate', ttl: '4380h' });
    assert.equal(signed.status, 200, signed.text);
    const intPem = signed.json.data.certificate;
    assert.match(openssl('x509', '-in', file('int.pem', intPem), '-noout', '-text').out, /CA:TRUE/);
    const set = await dev.api.call('POST', 'pki_int/intermediate/set-signed', { certificate: `${intPem}\n${rootPem}` });
    assert.equal(set.status, 200, set.text);
    // A certificate for another key is refused.
    const other = await dev.api.call('POST', 'pki_int/intermediate/set-signed', { certificate: rootPem });
    assert.equal(other.status, 400);
    assert.equal((await dev.api.call('POST', 'pki_int/roles/svc', { allowed_domains: 'svc.internal', allow_subdomains: true, key_type: 'rsa', key_bits: 2048 })).status, 200);
    const leaf = await dev.api.call('POST', 'pki_int/issue/svc', { common_name: 'a.svc.internal', ttl: '1h' });
    assert.equal(leaf.status, 200, leaf.text);
    assert.match(leaf.json.data.private_key, /BEGIN RSA PRIVATE KEY/);
    assert.deepEqual(leaf.json.data.ca_chain, [intPem.trim(), rootPem.trim()]);
    const verify = openssl('verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'int.pem'), file('int-leaf.pem', leaf.json.data.certificate));
    assert.equal(verify.status, 0, verify.out);
    const chain = await dev.api.call('GET', 'pki_int/ca_chain');
    assert.equal(chain.text.trim(), `${intPem.trim()}\n${rootPem.trim()}`);
    // OCSP from the intermediate's responder.
    const ocsp = await opensslAsync('ocsp', '-issuer', join(dir, 'int.pem'), '-cert', join(dir, 'int-leaf.pem'), '-CAfile', join(dir, 'root.pem'), '-url', `${dev.api.url}/v1/pki_int/ocsp`);
    assert.match(ocsp.out, /Response verify OK/);
    assert.match(ocsp.out, /int-leaf\.pem: good/);
  });

  it('generates exported RSA and Ed25519 roots with their private keys', async () => {
    assert.equal((await dev.api.call('POST', 'sys/mounts/pki_ed', { type: 'pki' })).status, 204);
    const ed = await dev.api.call('POST', 'pki_ed/root/generate/exported', { common_name: 'Ed Root', key_type: 'ed25519', ttl: '24h' });
    assert.equal(ed.status, 200, ed.text);
    assert.equal(ed.json.data.private_key_type, 'ed25519');
    assert.match(ed.json.data.private_key, /BEGIN PRIVATE KEY/);
    assert.match(openssl('x509', '-in', file('ed.pem', ed.json.data.certificate), '-noout', '-text').out, /ED25519/);
    assert.equal((await dev.api.call('POST', 'pki_ed/roles/any', { allow_any_name: true, key_type: 'ed25519' })).status, 200);
    const leaf = await dev.api.call('POST', 'pki_ed/issue/any', { common_name: 'ed.example.com', ttl: '1h' });
    assert.equal(leaf.status, 200, leaf.text);
    assert.equal(openssl('verify', '-CAfile', join(dir, 'ed.pem'), file('ed-leaf.pem', leaf.json.data.certificate)).status, 0);
    const rsa = await dev.api.call('POST', 'pki_ed/root/generate/exported', { common_name: 'RSA Root', key_type: 'rsa', key_bits: 2048, private_key_format: 'pkcs8' });
    assert.equal(rsa.status, 200, rsa.text);
    assert.match(rsa.json.data.private_key, /BEGIN PRIVATE KEY/);
    assert.equal(ed.json.warnings, null);
    assert.match(rsa.json.warnings[0], /previous CA was replaced/);
    assert.equal((await dev.api.call('POST', 'pki_ed/root/generate/bogus', { common_name: 'x' })).status, 400);
    assert.equal((await dev.api.call('POST', 'pki_ed/root/generate/internal', { common_name: 'x', key_type: 'ec', key_bits: 1024 })).status, 400);
    // Capped by the mount's max TTL (768h), the certificate would still outlive the new root.
    const tooLong = await dev.api.call('POST', 'pki_ed/issue/any', { common_name: 'late.example.com', ttl: '87600h' });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.json.errors[0], /beyond the expiration of the CA certificate/);
  });

  it('reads, lists and deletes roles, URLs, special cert entries and output formats', async () => {
    const role = await dev.api.call('GET', 'pki/roles/web');
    assert.equal(role.status, 200);
    assert.deepEqual(role.json.data.allowed_domains, ['example.com']);
    assert.equal(role.json.data.ttl, 3600);
    assert.equal(role.json.data.enforce_hostnames, true);
    assert.ok((await dev.api.call('LIST', 'pki/roles')).json.data.keys.includes('web'));
    assert.equal((await dev.api.call('POST', 'pki/roles/temp', { allow_any_name: true })).status, 200);
    assert.equal((await dev.api.call('DELETE', 'pki/roles/temp')).status, 204);
    assert.equal((await dev.api.call('GET', 'pki/roles/temp')).status, 404);
    const urls = await dev.api.call('GET', 'pki/config/urls');
    assert.deepEqual(urls.json.data.ocsp_servers, [`${dev.api.url}/v1/pki/ocsp`]);
    assert.equal((await dev.api.call('POST', 'pki/config/urls', { ocsp_servers: 'ftp://nope' })).status, 400);
    const ca = await dev.api.call('GET', 'pki/cert/ca', undefined, { 'X-Vault-Token': '' });
    assert.equal(ca.status, 200);
    assert.equal(ca.json.data.certificate.trim(), rootPem.trim());
    const crl = await dev.api.call('GET', 'pki/cert/crl');
    assert.match(crl.json.data.certificate, /BEGIN X509 CRL/);
    const der = await dev.api.call('POST', 'pki/issue/web', { common_name: 'der.example.com', format: 'der' });
    assert.equal(der.status, 200, der.text);
    assert.doesNotMatch(der.json.data.certificate, /BEGIN/);
    assert.equal(Buffer.from(der.json.data.certificate, 'base64')[0], 0x30);
    const bundle = await dev.api.call('POST', 'pki/issue/web', { common_name: 'bundle.example.com', format: 'pem_bundle' });
    assert.equal((bundle.json.data.certificate.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
    const revokedList = await dev.api.call('LIST', 'pki/certs/revoked');
    assert.equal(revokedList.status, 200);
    assert.ok(revokedList.json.data.keys.length >= 2);
    // Issuing needs a token; the public CA endpoints do not.
    assert.equal((await dev.api.call('POST', 'pki/issue/web', { common_name: 'x.example.com' }, { 'X-Vault-Token': '' })).status, 403);
    const noStore = await dev.api.call('POST', 'pki/roles/nostore', { allowed_domains: 'example.com', allow_subdomains: true, key_type: 'ec', no_store: true });
    assert.equal(noStore.status, 200);
    const unstored = await dev.api.call('POST', 'pki/issue/nostore', { common_name: 'gone.example.com' });
    assert.equal(unstored.status, 200);
    assert.equal((await dev.api.call('GET', `pki/cert/${unstored.json.data.serial_number}`)).status, 404);
    assert.equal((await dev.api.call('POST', 'pki/revoke', { serial_number: unstored.json.data.serial_number })).status, 400);
  });

  it('refuses to revoke the CA itself and deletes the root', async () => {
    assert.equal((await dev.api.call('POST', 'sys/mounts/pki_tmp', { type: 'pki' })).status, 204);
    const root = await dev.api.call('POST', 'pki_tmp/root/generate/internal', { common_name: 'Tmp', key_type: 'ec' });
    assert.equal(root.status, 200);
    assert.equal((await dev.api.call('POST', 'pki_tmp/revoke', { serial_number: root.json.data.serial_number })).status, 400);
    assert.equal((await dev.api.call('DELETE', 'pki_tmp/root')).status, 204);
    assert.equal((await dev.api.call('GET', 'pki_tmp/ca/pem')).status, 204);
    assert.equal((await dev.api.call('POST', 'pki_tmp/roles/r', { allow_any_name: true, key_type: 'ec' })).status, 200);
    const issue = await dev.api.call('POST', 'pki_tmp/issue/r', { common_name: 'a.b' });
    assert.equal(issue.status, 400);
    assert.match(issue.json.errors[0], /no default issuer/);
  });

  it('tidies expired certificates only', async () => {
    const before = (await dev.api.call('LIST', 'pki/certs')).json.data.keys.length;
    const tidy = await dev.api.call('POST', 'pki/tidy', { tidy_cert_store: true, tidy_revoked_certs: true });
    assert.equal(tidy.status, 202, tidy.text);
    assert.equal(tidy.json.data.cert_store_deleted_count, 0);
    assert.equal((await dev.api.call('LIST', 'pki/certs')).json.data.keys.length, before);
    assert.equal((await dev.api.call('POST', 'pki/tidy', {})).status, 400);
  });
});
