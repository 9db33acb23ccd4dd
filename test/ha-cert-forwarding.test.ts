/**
 * Cert auth through an HA standby: the standby forwards the login to the active and vouches for
 * the client's certificate chain with an HMAC under the cluster's forwarding key; the active
 * accepts the chain only with that MAC. Two real server processes with TLS on one PostgreSQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { spawnServer, type ServerChild } from './support/process.js';
import { makeServerCerts } from './support/certs.js';
import { commandExists, requireSystem } from './support/requires.js';
import { postgresReachable, POSTGRES_URL } from './support/databases.js';
import { changeChannels } from '../src/storage/postgresql-changes.js';
import { FORWARDED_CERT_HEADER, FORWARDED_CERT_MAC_HEADER } from '../src/http/forwarded-client-cert.js';

const reachable = await postgresReachable();
const skip = requireSystem('ha cert forwarding', {
  install: 'a running PostgreSQL on 127.0.0.1:5432 and openssl',
  present: () => reachable && commandExists('openssl'),
});

interface Reply { status: number; json: any }

function call(url: string, ca: Buffer, method: string, path: string, options: { token?: string; cert?: Buffer; key?: Buffer; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/${path}`, {
      method, ca, cert: options.cert, key: options.key, agent: false,
      headers: { ...(options.token ? { 'X-Vault-Token': options.token } : {}), ...(payload ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
    }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

test('cert login through a standby reaches the active with the client chain; forged forwarding headers are ignored', { skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-ha-cert-'));
  const certs = makeServerCerts(dir);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=Clients CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', 'clients.key', '-out', 'clients.pem');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=web.acme.test', '-keyout', 'web.key', '-out', 'web.csr');
  writeFileSync(join(dir, 'web.ext'), 'extendedKeyUsage=clientAuth\nsubjectAltName=DNS:web.acme.test\n');
  openssl('x509', '-req', '-in', 'web.csr', '-CA', 'clients.pem', '-CAkey', 'clients.key', '-CAcreateserial', '-days', '2', '-extfile', 'web.ext', '-out', 'web.pem');
  const ca = readFileSync(certs.caCert);
  const client = { cert: readFileSync(join(dir, 'web.pem')), key: readFileSync(join(dir, 'web.key')) };

  const id = randomBytes(5).toString('hex');
  const tables = { table: `arca_hacert_kv_${id}`, haTable: `arca_hacert_lock_${id}` };
  const config = {
    storage: { postgresql: { connection_url: POSTGRES_URL, table: tables.table, ha_table: tables.haTable, ha_enabled: 'true' } },
    listener: { tcp: { address: '127.0.0.1:0', tls_cert_file: certs.serverCert, tls_key_file: certs.serverKey } },
    log_level: 'warn',
  };
  const nodes: ServerChild[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const nodeDir = mkdtempSync(join(dir, `node-${i}-`));
      // The standby forwards over HTTPS to the active's api_addr: it must trust the listener's CA.
      nodes.push(await spawnServer(config, nodeDir, { NODE_EXTRA_CA_CERTS: certs.caCert }));
    }
    const init = await call(nodes[0].url, ca, 'PUT', 'sys/init', { body: { secret_shares: 1, secret_threshold: 1 } });
    const root = init.json.root_token as string;
    for (const node of nodes) assert.equal((await call(node.url, ca, 'PUT', 'sys/unseal', { body: { key: init.json.keys[0] } })).json.sealed, false);
    let active: ServerChild | undefined;
    for (let i = 0; i < 300 && !active; i++) {
      for (const node of nodes) if ((await call(node.url, ca, 'GET', 'sys/health')).status === 200) active = node;
      if (!active) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(active, 'an active node');
    const standby = nodes.find((n) => n !== active)!;

    assert.equal((await call(active.url, ca, 'POST', 'sys/auth/cert', { token: root, body: { type: 'cert' } })).status, 204);
    assert.equal((await call(active.url, ca, 'POST', 'auth/cert/certs/web', { token: root, body: { certificate: readFileSync(join(dir, 'clients.pem'), 'utf8'), token_policies: 'web' } })).status, 204);

    const viaStandby = await call(standby.url, ca, 'POST', 'auth/cert/login', { ...client, body: { name: 'web' } });
    assert.equal(viaStandby.status, 200, JSON.stringify(viaStandby.json));
    assert.deepEqual(viaStandby.json.auth.policies, ['default', 'web']);
    assert.equal(viaStandby.json.auth.metadata.common_name, 'web.acme.test');

    // A client cannot vouch for itself: the same headers without the cluster's key are ignored,
    // sent to the active directly or through the standby.
    const der = Buffer.from(client.cert.toString('utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64');
    const forged = { [FORWARDED_CERT_HEADER]: der, [FORWARDED_CERT_MAC_HEADER]: `${Date.now()}.${randomBytes(32).toString('base64url')}` };
    for (const node of [active, standby]) {
      const res = await call(node.url, ca, 'POST', 'auth/cert/login', { body: { name: 'web' }, headers: forged });
      assert.notEqual(res.status, 200, JSON.stringify(res.json));
    }
  } finally {
    for (const node of nodes) await node.stop().catch(() => {});
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    for (const t of [tables.table, tables.haTable, `${tables.haTable}_nodes`]) await admin.query(`DROP TABLE IF EXISTS ${t}`);
    await admin.query(`DROP FUNCTION IF EXISTS ${changeChannels(tables.table).changes}_notify()`);
    await admin.end();
  }
});
