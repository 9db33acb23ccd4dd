/** A real TLS listener: certificates from files, minimum version enforced, the CLI trusts a CA file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:https';
import { execFile } from 'node:child_process';
import { commandExists, requireSystem } from './support/requires.js';
import { makeServerCerts } from './support/certs.js';
import { spawnServer } from './support/process.js';

const skip = requireSystem('tls', { install: 'Debian package openssl', present: () => commandExists('openssl') });
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');

function get(url: string, ca: Buffer, options: { maxVersion?: 'TLSv1.2' | 'TLSv1.3' } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, ...options }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('TLS listener serves the API and honours tls_min_version', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-tls-'));
  const certs = makeServerCerts(dir);
  const config = (minVersion: string) => ({
    storage: { inmem: {} },
    listener: { tcp: { address: '127.0.0.1:0', tls_cert_file: certs.serverCert, tls_key_file: certs.serverKey, tls_min_version: minVersion } },
    log_level: 'error',
  });
  const server = await spawnServer(config('tls12'), dir);
  try {
    assert.match(server.url, /^https:\/\//);
    const health = await get(`${server.url}/v1/sys/health`, readFileSync(certs.caCert));
    assert.equal(health.status, 501);
    assert.equal(JSON.parse(health.body).initialized, false);
    await assert.rejects(get(`${server.url}/v1/sys/health`, Buffer.from('')), /self[- ]signed|unable to verify|certificate/i);

    const status = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(process.execPath, [cli, 'status', '-format=json'], {
        env: { ...process.env, HOME: dir, VAULT_ADDR: server.url, VAULT_CACERT: certs.caCert },
      }, (err, stdout) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, out: stdout }));
    });
    assert.equal(status.code, 2, status.out); // reachable over TLS; not initialised counts as sealed
    assert.equal(JSON.parse(status.out).initialized, false);
  } finally {
    await server.stop();
  }

  const strict = await spawnServer(config('tls13'), dir);
  try {
    await assert.rejects(get(`${strict.url}/v1/sys/health`, readFileSync(certs.caCert), { maxVersion: 'TLSv1.2' }));
    assert.equal((await get(`${strict.url}/v1/sys/health`, readFileSync(certs.caCert))).status, 501);
  } finally {
    await strict.stop();
  }
});
