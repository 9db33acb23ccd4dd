/**
 * Wire behaviour every Vault client relies on: status codes, error shapes, body limits,
 * verbs (LIST included), sealed answers, sys/health codes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startDevServer, type DevServer } from './support/server.js';

let dev: DevServer;
before(async () => { dev = await startDevServer({ config: { listeners: [{ type: 'tcp', address: '127.0.0.1:0', tlsDisable: true, tlsMinVersion: 'tls12', maxRequestSize: 4096 }] } }); });
after(async () => { await dev.close(); });

/** Writes each request after the previous answer arrived (keep-alive, no pipelining). */
function rawRequest(port: number, ...requests: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const pending = [...requests];
    const socket = connect(port, '127.0.0.1', () => socket.write(pending.shift()!));
    let out = '';
    socket.on('data', (d) => {
      out += d.toString('latin1');
      const next = pending.shift();
      if (next) socket.write(next);
    });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    setTimeout(() => socket.end(), 500);
  });
}

const port = () => Number(new URL(dev.api.url).port);

test('sys/health answers 200 with the Vault body, HEAD has no body, codes are overridable', async () => {
  const res = await dev.api.call('GET', 'sys/health');
  assert.equal(res.status, 200);
  assert.equal(res.json.initialized, true);
  assert.equal(res.json.sealed, false);
  assert.match(res.json.version, /^1\.\d+\.\d+/);
  const head = await dev.api.call('HEAD', 'sys/health');
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
  const custom = await dev.api.call('GET', 'sys/health?activecode=299&standbycode=299&sealedcode=299');
  assert.equal(custom.status, 299);
  const bad = await dev.api.call('GET', 'sys/health?activecode=abc');
  assert.equal(bad.status, 400);
  assert.ok(Array.isArray(bad.json.errors) && bad.json.errors.length === 1);
});

test('malformed JSON → 400 that never echoes the input', async () => {
  const res = await dev.api.call('POST', 'sys/policies/acl/x', '{"policy": "secretvalue-123', {});
  assert.equal(res.status, 400);
  assert.ok(!res.text.includes('secretvalue-123'));
  const array = await dev.api.call('POST', 'sys/policies/acl/x', '[1,2]');
  assert.equal(array.status, 400);
});

test('unknown paths → 404 and unsupported verbs → 405 with an errors array', async () => {
  const missing = await dev.api.call('GET', 'nothing-mounted-here/foo');
  assert.equal(missing.status, 404);
  assert.ok(Array.isArray(missing.json.errors));
  const verb = await dev.api.call('PUT', 'sys/seal-status');
  assert.equal(verb.status, 405);
  assert.deepEqual(verb.json, { errors: ['unsupported operation'] });
  const notApi = await dev.api.call('GET', '/ui/');
  assert.equal(notApi.status, 404);
});

test('oversized bodies are refused before buffering, on unauthenticated and authenticated paths', async () => {
  const big = JSON.stringify({ key: 'a'.repeat(10_000) });
  for (const path of ['sys/unseal', 'sys/init', 'sys/policies/acl/big']) {
    const res = await dev.api.call('PUT', path, big);
    assert.equal(res.status, 413, path);
    assert.ok(Array.isArray(res.json.errors));
  }
  const status = await dev.api.call('GET', 'sys/seal-status');
  assert.equal(status.json.sealed, false);
});

test('a declared Content-Length over the limit is refused without reading the body', async () => {
  const reply = await rawRequest(port(), 'PUT /v1/sys/unseal HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{');
  assert.match(reply, /^HTTP\/1\.1 413 /);
});

test('the LIST verb works like GET ?list=true, also on a kept-alive connection', async () => {
  const reply = await rawRequest(port(),
    'GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n',
    `LIST /v1/sys/policies/acl HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${dev.rootToken}\r\n\r\n`);
  const bodies = reply.split('HTTP/1.1 ').slice(1);
  assert.equal(bodies.length, 2);
  assert.match(bodies[1], /^200 /);
  assert.match(bodies[1], /"keys":\["default","root"\]/);
  const viaQuery = await dev.api.call('GET', 'sys/policies/acl?list=true');
  assert.deepEqual(viaQuery.json.data.keys, ['default', 'root']);
});

/** Writes the given pieces one by one (a short pause between), as a client that splits or pipelines. */
function rawWrites(port: number, ...pieces: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', async () => {
      for (const piece of pieces) {
        socket.write(piece);
        await new Promise((r) => setTimeout(r, 30));
      }
      setTimeout(() => socket.end(), 300);
    });
    let out = '';
    socket.on('data', (d) => { out += d.toString('latin1'); });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

test('LIST on any request of a kept-alive connection: first, again later, split across writes, pipelined after a GET', async () => {
  const list = `LIST /v1/sys/policies/acl HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${dev.rootToken}\r\n\r\n`;
  const health = 'GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n';
  const answers = (reply: string) => reply.split('HTTP/1.1 ').slice(1);
  const isList = (answer: string) => /^200 /.test(answer) && /"keys":\["default","root"\]/.test(answer);
  const isHealth = (answer: string) => /^200 /.test(answer) && /"initialized":true/.test(answer);

  const sequence = answers(await rawRequest(port(), list, health, list.replace('/acl ', '/acl?x=1 '), health));
  assert.equal(sequence.length, 4);
  assert.ok(isList(sequence[0]) && isHealth(sequence[1]) && isList(sequence[2]) && isHealth(sequence[3]), sequence.join('\n'));

  for (const cut of [1, 2, 3, 7]) {
    const split = answers(await rawWrites(port(), health, list.slice(0, cut), list.slice(cut)));
    assert.equal(split.length, 2, `cut at ${cut}`);
    assert.ok(isHealth(split[0]) && isList(split[1]), `cut at ${cut}: ${split.join('\n')}`);
  }

  const pipelined = answers(await rawWrites(port(), health + list + health));
  assert.equal(pipelined.length, 3);
  assert.ok(isHealth(pipelined[0]) && isList(pipelined[1]) && isHealth(pipelined[2]), pipelined.join('\n'));
});

test('a malformed request line still gets 400 and a closed connection', async () => {
  const reply = await rawRequest(port(), 'GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n', 'BR0KEN / HTTP/1.1\r\n\r\n');
  const answers = reply.split('HTTP/1.1 ').slice(1);
  assert.equal(answers.length, 2);
  assert.match(answers[1], /^400 Bad Request\r\nConnection: close\r\n/);
});

test('tokens: X-Vault-Token wins over Authorization: Bearer; a non-Bearer header is ignored', async () => {
  const bearer = await dev.api.call('GET', 'sys/policies/acl?list=true', undefined, { 'X-Vault-Token': '', Authorization: `Bearer ${dev.rootToken}` });
  assert.equal(bearer.status, 200);
  const both = await dev.api.call('GET', 'sys/policies/acl?list=true', undefined, { 'X-Vault-Token': 'hvs.bogus', Authorization: `Bearer ${dev.rootToken}` });
  assert.equal(both.status, 403);
  const basic = await dev.api.call('GET', 'sys/policies/acl?list=true', undefined, { 'X-Vault-Token': '', Authorization: `Basic ${dev.rootToken}` });
  assert.equal(basic.status, 403);
});

test('a sealed server answers 503 "Vault is sealed" on barrier paths and keeps its raw endpoints', async () => {
  const local = await startDevServer();
  try {
    assert.equal((await local.api.call('PUT', 'sys/seal')).status, 204);
    const read = await local.api.call('GET', 'sys/policies/acl?list=true');
    assert.equal(read.status, 503);
    assert.deepEqual(read.json, { errors: ['Vault is sealed'] });
    const health = await local.api.call('GET', 'sys/health');
    assert.equal(health.status, 503);
    assert.equal(health.json.sealed, true);
    const status = await local.api.call('GET', 'sys/seal-status');
    assert.equal(status.status, 200);
    assert.equal(status.json.sealed, true);
    assert.equal(status.json.type, 'shamir');
    const unseal = await local.api.call('PUT', 'sys/unseal', { key: local.unsealKey });
    assert.equal(unseal.json.sealed, false);
    assert.equal((await local.api.call('GET', 'sys/policies/acl?list=true')).status, 200);
  } finally {
    await local.close();
  }
});

test('sys/seal needs a token and sudo: no token → 403 and the server stays unsealed', async () => {
  const res = await dev.api.call('PUT', 'sys/seal', undefined, { 'X-Vault-Token': '' });
  assert.equal(res.status, 403);
  assert.equal((await dev.api.call('GET', 'sys/seal-status')).json.sealed, false);
});

test('sys/rotate/config reads Vault defaults, validates bounds and keeps the change', async () => {
  const read = await dev.api.call('GET', 'sys/rotate/config');
  assert.equal(read.status, 200);
  assert.equal(read.json.data.max_operations, 3865470566);
  assert.equal(read.json.data.enabled, true);
  assert.equal((await dev.api.call('PUT', 'sys/rotate/config', { max_operations: 10 })).status, 400);
  assert.equal((await dev.api.call('PUT', 'sys/rotate/config', { interval: '1h' })).status, 400);
  assert.equal((await dev.api.call('PUT', 'sys/rotate/config', { max_operations: 2_000_000, interval: '48h' })).status, 204);
  const after = (await dev.api.call('GET', 'sys/rotate/config')).json.data;
  assert.equal(after.max_operations, 2_000_000);
  assert.equal(after.interval, '48h0m0s');
  assert.deepEqual((await dev.api.call('GET', 'sys/leader')).json, { ha_enabled: false });
});
