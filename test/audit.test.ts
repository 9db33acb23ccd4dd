/**
 * Audit devices against a real dev server, reading the real audit file: entries for KV
 * reads/writes, token creation and logins with no secret or token in clear; sys/audit-hash
 * agrees with the file; fail closed (unwritable file, dead socket) with the KV value
 * unchanged; one broken device among two is tolerated; devices survive a restart.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, startDurableServer, type Api } from './support/server.js';

const dir = mkdtempSync(join(tmpdir(), 'arca-audit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function entries(file: string): any[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
}

async function kvRead(api: Api, path: string): Promise<unknown> {
  const res = await api.call('GET', `secret/data/${path}`);
  return res.status === 200 ? res.json.data.data : res.status;
}

test('file device: request and response entries in Vault layout, nothing secret in clear, audit-hash agrees', async () => {
  const s = await startDevServer();
  try {
    const file = join(dir, 'audit.log');
    const enable = await s.api.call('PUT', 'sys/audit/file', { type: 'file', description: 'to disk', options: { file_path: file } });
    assert.equal(enable.status, 204, enable.text);
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const secretValue = 'correct-horse-battery-staple';
    const write = await s.api.call('POST', 'secret/data/app', { data: { password: secretValue, port: 5432 } });
    assert.equal(write.status, 200, write.text);
    const read = await s.api.call('GET', 'secret/data/app');
    assert.equal(read.json.data.data.password, secretValue);
    const created = await s.api.call('POST', 'auth/token/create', { policies: ['default'], ttl: '1h' });
    assert.equal(created.status, 200);
    const childToken: string = created.json.auth.client_token;
    const childAccessor: string = created.json.auth.accessor;
    const self = await s.api.call('GET', 'auth/token/lookup-self', undefined, { 'X-Vault-Token': childToken });
    assert.equal(self.status, 200);
    const denied = await s.api.call('GET', 'secret/data/app', undefined, { 'X-Vault-Token': childToken });
    assert.equal(denied.status, 403);

    const text = readFileSync(file, 'utf8');
    for (const clear of [secretValue, s.rootToken, childToken, childAccessor]) assert.ok(!text.includes(clear), 'a secret is in clear in the audit log');

    const hash = async (input: string) => (await s.api.call('POST', 'sys/audit-hash/file', { input })).json.data.hash as string;
    const log = entries(file);
    const writeReq = log.find((e) => e.type === 'request' && e.request.path === 'secret/data/app' && e.request.operation === 'create');
    assert.ok(writeReq, 'no request entry for the KV write');
    assert.equal(writeReq.request.id, write.json.request_id);
    assert.equal(writeReq.request.mount_type, 'kv');
    assert.equal(writeReq.request.mount_point, 'secret/');
    assert.equal(writeReq.request.remote_address, '127.0.0.1');
    assert.deepEqual(writeReq.request.namespace, { id: 'root' });
    assert.match(writeReq.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.equal(writeReq.request.data.data.password, await hash(secretValue));
    assert.equal(writeReq.request.data.data.port, 5432, 'numbers pass through');
    assert.equal(writeReq.request.client_token, await hash(s.rootToken));
    assert.equal(writeReq.auth.client_token, await hash(s.rootToken));
    assert.deepEqual(writeReq.auth.policies, ['root']);
    assert.equal(writeReq.response, undefined);

    const readResp = log.find((e) => e.type === 'response' && e.request.id === read.json.request_id);
    assert.ok(readResp, 'no response entry for the KV read');
    assert.equal(readResp.request.operation, 'read');
    assert.equal(readResp.response.data.data.password, await hash(secretValue));
    assert.equal(readResp.response.data.metadata.version, 1);
    assert.equal(readResp.response.mount_type, 'kv');

    const createResp = log.find((e) => e.type === 'response' && e.request.path === 'auth/token/create');
    assert.equal(createResp.response.auth.client_token, await hash(childToken));
    assert.equal(createResp.response.auth.accessor, await hash(childAccessor));
    assert.deepEqual(createResp.response.auth.policies, ['default']);
    const ttl = createResp.response.auth.token_ttl;
    assert.ok(ttl === 3600 || ttl === 3599, `token_ttl ${ttl}`); // a second may tick between minting and logging

    const lookup = log.find((e) => e.type === 'request' && e.request.path === 'auth/token/lookup-self');
    assert.equal(lookup.auth.client_token, await hash(childToken));
    assert.equal(lookup.auth.accessor, await hash(childAccessor));
    assert.equal(lookup.request.client_token_accessor, await hash(childAccessor));

    const denials = log.filter((e) => e.request?.path === 'secret/data/app' && e.error === 'permission denied');
    assert.deepEqual(denials.map((e) => e.type), ['request'], 'a denied request is logged once, as a request entry with the error (as Vault does)');

    const list = await s.api.call('GET', 'sys/audit');
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.data['file/'], { path: 'file/', type: 'file', description: 'to disk', options: { file_path: file }, local: false });
    assert.equal((await s.api.call('POST', 'sys/audit-hash/nope', { input: 'x' })).status, 400);
    const limited = await s.api.call('GET', 'sys/audit', undefined, { 'X-Vault-Token': childToken });
    assert.equal(limited.status, 403);
  } finally {
    await s.close();
  }
});

test('options: log_raw, hmac_accessor=false, prefix, elide_list_responses, audit_non_hmac keys', async () => {
  const s = await startDevServer();
  try {
    const raw = join(dir, 'raw.log');
    const tuned = join(dir, 'tuned.log');
    assert.equal((await s.api.call('PUT', 'sys/audit/raw', { type: 'file', options: { file_path: raw, log_raw: true } })).status, 204);
    assert.equal((await s.api.call('PUT', 'sys/audit/tuned', {
      type: 'file', options: { file_path: tuned, hmac_accessor: 'false', prefix: 'ARCA', elide_list_responses: 'true' },
    })).status, 204);
    assert.equal((await s.api.call('POST', 'sys/mounts/kv1', { type: 'kv', config: { audit_non_hmac_request_keys: ['visible'] } })).status, 204);
    assert.equal((await s.api.call('POST', 'kv1/a', { visible: 'plain', hidden: 'masked' })).status, 204);
    await s.api.call('POST', 'kv1/b', { x: '1' });
    assert.equal((await s.api.call('LIST', 'kv1/')).status, 200);
    const created = await s.api.call('POST', 'auth/token/create', { policies: ['default'] });
    const accessor: string = created.json.auth.accessor;

    const rawLog = entries(raw);
    const rawWrite = rawLog.find((e) => e.type === 'request' && e.request.path === 'kv1/a');
    assert.equal(rawWrite.request.data.hidden, 'masked');
    assert.equal(rawWrite.request.client_token, s.rootToken);

    const lines = readFileSync(tuned, 'utf8').split('\n').filter(Boolean);
    assert.ok(lines.every((l) => l.startsWith('ARCA{')));
    const tunedLog = lines.map((l) => JSON.parse(l.slice(4)));
    const tunedWrite = tunedLog.find((e) => e.type === 'request' && e.request.path === 'kv1/a');
    assert.equal(tunedWrite.request.data.visible, 'plain');
    assert.match(tunedWrite.request.data.hidden, /^hmac-sha256:[0-9a-f]{64}$/);
    const listResp = tunedLog.find((e) => e.type === 'response' && e.request.operation === 'list');
    assert.equal(listResp.response.data.keys, 2);
    const createResp = tunedLog.find((e) => e.type === 'response' && e.request.path === 'auth/token/create');
    assert.equal(createResp.response.auth.accessor, accessor);
    assert.match(createResp.response.auth.client_token, /^hmac-sha256:/);

    assert.equal((await s.api.call('PUT', 'sys/audit/bad', { type: 'file', options: { file_path: join(dir, 'x'), format: 'jsonx' } })).status, 400);
    assert.equal((await s.api.call('PUT', 'sys/audit/bad', { type: 'nosuch', options: {} })).status, 400);
    assert.equal((await s.api.call('PUT', 'sys/audit/raw', { type: 'file', options: { file_path: raw } })).status, 400, 'path in use');
  } finally {
    await s.close();
  }
});

test('fail closed: an audit file that can no longer be written refuses requests and leaves the KV value unchanged', async () => {
  const s = await startDevServer();
  try {
    assert.equal((await s.api.call('POST', 'secret/data/app', { data: { v: 'before' } })).status, 200);
    const full = await s.api.call('PUT', 'sys/audit/full', { type: 'file', options: { file_path: '/dev/full' } });
    assert.equal(full.status, 400, 'the test write on enable fails');
    assert.match(full.json.errors[0], /file audit device: cannot open the audit file for writing \(ENOSPC\)/);

    const sub = mkdtempSync(join(dir, 'gone-'));
    assert.equal((await s.api.call('PUT', 'sys/audit/file', { type: 'file', options: { file_path: join(sub, 'audit.log') } })).status, 204);
    rmSync(sub, { recursive: true });
    await s.server.composed.audit.reopen(); // logrotate's SIGHUP, with the directory gone
    const refused = await s.api.call('POST', 'secret/data/app', { data: { v: 'after' } });
    assert.equal(refused.status, 500);
    assert.deepEqual(refused.json, { errors: ['audit logging failed; request refused'] });
    assert.equal((await s.api.call('GET', 'secret/data/app')).status, 500, 'reads are refused too');
    // Bring the directory back: the device reopens on the next write and the value is unchanged.
    mkdirSync(sub);
    assert.equal(await kvRead(s.api, 'app').then((d: any) => d.v), 'before');
  } finally {
    await s.close();
  }
});

test('two devices, one broken: requests succeed; a removed directory after SIGHUP-reopen breaks only that device', async () => {
  const s = await startDevServer();
  try {
    const sub = mkdtempSync(join(dir, 'rot-'));
    const rotating = join(sub, 'a.log');
    const good = join(dir, 'two.log');
    assert.equal((await s.api.call('PUT', 'sys/audit/a', { type: 'file', options: { file_path: rotating } })).status, 204);
    assert.equal((await s.api.call('PUT', 'sys/audit/b', { type: 'file', options: { file_path: good } })).status, 204);
    assert.equal((await s.api.call('POST', 'secret/data/two', { data: { v: '1' } })).status, 200);
    rmSync(sub, { recursive: true });
    await s.server.composed.audit.reopen();
    assert.equal((await s.api.call('POST', 'secret/data/two', { data: { v: '2' } })).status, 200);
    assert.equal(await kvRead(s.api, 'two').then((d: any) => d.v), '2');
    const failures = s.server.composed.metrics.auditFailures.get({ device: 'a/', type: 'request' });
    assert.ok(failures >= 2, `failures counted: ${failures}`);
    // Disabling the broken one (logged by b) leaves a clean state.
    assert.equal((await s.api.call('DELETE', 'sys/audit/a')).status, 204);
    assert.deepEqual(Object.keys((await s.api.call('GET', 'sys/audit')).json.data), ['b/']);
    const log = entries(good);
    assert.ok(log.some((e) => e.type === 'response' && e.request.path === 'sys/audit/a' && e.request.operation === 'delete'));
  } finally {
    await s.close();
  }
});

test('fail closed: a dead socket device refuses requests; a live one receives entries', async () => {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const sink = createServer((sock) => {
    sockets.add(sock);
    sock.on('data', (d) => received.push(d.toString('utf8')));
    sock.on('error', () => {});
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const port = (sink.address() as { port: number }).port;
  const s = await startDevServer();
  try {
    assert.equal((await s.api.call('POST', 'secret/data/sock', { data: { v: 'before' } })).status, 200);
    const enable = await s.api.call('PUT', 'sys/audit/sock', { type: 'socket', options: { address: `127.0.0.1:${port}`, socket_type: 'tcp', write_timeout: '1s' } });
    assert.equal(enable.status, 204, enable.text);
    assert.equal((await s.api.call('GET', 'secret/data/sock')).status, 200);
    const lines = received.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.ok(lines.some((e) => e.type === 'response' && e.request.path === 'secret/data/sock'));

    await new Promise<void>((resolve) => { sink.close(() => resolve()); for (const c of sockets) c.destroy(); });
    const refused = await s.api.call('POST', 'secret/data/sock', { data: { v: 'after' } });
    assert.equal(refused.status, 500);
    assert.equal(refused.json.errors[0], 'audit logging failed; request refused');
    const dead = await s.api.call('PUT', 'sys/audit/dead', { type: 'socket', options: { address: `127.0.0.1:${port}` } });
    assert.equal(dead.status, 500, 'the enable request itself cannot be audited');
    // The collector comes back on the same port: the device reconnects, and the value never changed.
    const again = createServer((sock) => { sockets.add(sock); sock.resume(); sock.on('error', () => {}); });
    await new Promise<void>((resolve) => again.listen(port, '127.0.0.1', resolve));
    try {
      assert.equal(await kvRead(s.api, 'sock').then((d: any) => d.v), 'before');
    } finally {
      for (const c of sockets) c.destroy();
      await new Promise<void>((resolve) => again.close(() => resolve()));
    }
  } finally {
    await s.close();
  }
});

test('enabling a dead socket or a missing syslog socket fails with a clear error', async () => {
  const s = await startDevServer();
  try {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const dead = await s.api.call('PUT', 'sys/audit/dead', { type: 'socket', options: { address: `127.0.0.1:${port}` } });
    assert.equal(dead.status, 400);
    assert.match(dead.json.errors[0], /socket audit device: cannot connect \(ECONNREFUSED\)/);
    if (!existsSync('/dev/log')) {
      const syslog = await s.api.call('PUT', 'sys/audit/syslog', { type: 'syslog', options: { tag: 'arca' } });
      assert.equal(syslog.status, 400);
      assert.match(syslog.json.errors[0], /no local syslog socket at \/dev\/log/);
    }
    assert.equal((await s.api.call('GET', 'sys/audit')).status, 200);
    assert.deepEqual((await s.api.call('GET', 'sys/audit')).json.data, {});
  } finally {
    await s.close();
  }
});

test('devices and their salts survive a restart; disable drops the salt', async () => {
  const dataDir = mkdtempSync(join(dir, 'durable-'));
  const file = join(dir, 'durable.log');
  let first = await startDurableServer(dataDir);
  const init = await first.api.call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
  const unseal = async (api: Api) => assert.equal((await api.call('PUT', 'sys/unseal', { key: init.json.keys[0] })).status, 200);
  await unseal(first.api);
  first.api.token = init.json.root_token;
  assert.equal((await first.api.call('PUT', 'sys/audit/file', { type: 'file', options: { file_path: file } })).status, 204);
  const before = (await first.api.call('POST', 'sys/audit-hash/file', { input: 'needle' })).json.data.hash;
  await first.close();

  const second = await startDurableServer(dataDir);
  try {
    await unseal(second.api);
    second.api.token = init.json.root_token;
    assert.equal((await second.api.call('POST', 'sys/audit-hash/file', { input: 'needle' })).json.data.hash, before);
    const marker = (await second.api.call('GET', 'sys/audit')).json.request_id;
    assert.ok(entries(file).some((e) => e.type === 'response' && e.request.id === marker), 'the restarted server writes to the same device');
    assert.equal((await second.api.call('DELETE', 'sys/audit/file')).status, 204);
    assert.equal((await second.api.call('PUT', 'sys/audit/file', { type: 'file', options: { file_path: file } })).status, 204);
    const after = (await second.api.call('POST', 'sys/audit-hash/file', { input: 'needle' })).json.data.hash;
    assert.notEqual(after, before);
  } finally {
    await second.close();
  }
});
