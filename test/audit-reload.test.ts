/**
 * SIGHUP: the file audit device reopens its file (logrotate), TLS certificates are swapped
 * without dropping open connections, and the log level is re-read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandExists, requireSystem } from './support/requires.js';
import { makeServerCerts } from './support/certs.js';
import { startDevServer } from './support/server.js';
import { defaultDevConfig } from '../src/config/index.js';
import type { ServerConfig } from '../src/config/types.js';
import { startServer } from '../src/server/run.js';
import { createLogger } from '../src/util/log.js';

const skipTls = requireSystem('tls', { install: 'Debian package openssl', present: () => commandExists('openssl') });

test('SIGHUP reopens the audit file after logrotate moved it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-rotate-'));
  const s = await startDevServer();
  try {
    const file = join(dir, 'audit.log');
    assert.equal((await s.api.call('PUT', 'sys/audit/file', { type: 'file', options: { file_path: file } })).status, 204);
    const before = await s.api.call('GET', 'sys/audit');
    renameSync(file, `${file}.1`);
    process.kill(process.pid, 'SIGHUP');
    for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(existsSync(file), 'the device reopened its path');
    const after = await s.api.call('GET', 'sys/audit');
    const rotated = readFileSync(`${file}.1`, 'utf8');
    const fresh = readFileSync(file, 'utf8');
    assert.ok(rotated.includes(before.json.request_id));
    assert.ok(fresh.includes(after.json.request_id));
    assert.ok(!rotated.includes(after.json.request_id));
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function get(url: string, ca: Buffer, agent?: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/sys/health`, { ca, agent: agent ?? false }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    req.on('error', reject);
    req.end();
  });
}

test('reload swaps the TLS certificate without dropping open connections and applies the new log level', { skip: skipTls }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-reload-'));
  mkdirSync(join(dir, 'one'));
  mkdirSync(join(dir, 'two'));
  const first = makeServerCerts(join(dir, 'one'));
  const second = makeServerCerts(join(dir, 'two'));
  const live = { cert: join(dir, 'live.pem'), key: join(dir, 'live.key') };
  copyFileSync(first.serverCert, live.cert);
  copyFileSync(first.serverKey, live.key);
  const base = defaultDevConfig('127.0.0.1:0');
  const config: ServerConfig = {
    ...base,
    storage: { type: 'sqlite', options: { path: join(dir, 'arca.db') } },
    listeners: [{ ...base.listeners[0], address: '127.0.0.1:0', tlsDisable: false, tlsCertFile: live.cert, tlsKeyFile: live.key, tlsMinVersion: 'tls12' }],
    logLevel: 'error',
  };
  const lines: string[] = [];
  const server = await startServer(config, {
    logger: createLogger({ level: 'error', write: (l) => lines.push(l) }),
    reloadConfig: async () => ({ ...config, logLevel: 'info' }),
  });
  const caOne = readFileSync(first.caCert);
  const caTwo = readFileSync(second.caCert);
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1, ca: caOne });
  try {
    const url = server.addresses[0];
    assert.equal(await get(url, caOne, keepAlive), 501, 'uninitialised health over TLS');
    copyFileSync(second.serverCert, live.cert);
    copyFileSync(second.serverKey, live.key);
    assert.equal(lines.length, 0, 'nothing at info before the reload');
    await server.reload();
    assert.ok(lines.some((l) => l.includes('[INFO] reload: configuration, TLS certificates and audit devices reloaded')));
    assert.equal(await get(url, caOne, keepAlive), 501, 'the open connection still works');
    assert.equal(await get(url, caTwo), 501, 'a new connection gets the new certificate');
    await assert.rejects(get(url, caOne), /self[- ]signed|unable to verify|certificate/i);
  } finally {
    keepAlive.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
