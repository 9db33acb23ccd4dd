import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { COMMANDS } from './commands/index.js';
import type { CliContext } from './command.js';
import { parseKeyValues } from './kv-args.js';
import { runCli } from './run.js';

function context(env: Record<string, string>, stdin = '') {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    stdout: { write: (s: string) => { stdout += s; } },
    stderr: { write: (s: string) => { stderr += s; } },
    stdin: Readable.from([Buffer.from(stdin)]),
    env,
    homeDir: '/nonexistent-home',
    waitForStop: () => new Promise(() => {}),
  };
  return { ctx, out: () => stdout, err: () => stderr };
}

test('key=value, key=@file and "-" JSON on stdin', async () => {
  assert.deepEqual(await parseKeyValues(['a=1', 'b=x=y'], Readable.from([])), { a: '1', b: 'x=y' });
  assert.deepEqual(await parseKeyValues(['-'], Readable.from([Buffer.from('{"n":2}')])), { n: 2 });
  await assert.rejects(parseKeyValues(['novalue'], Readable.from([])), /format must be key=value/);
});

test('dispatch: unknown command exits 127, usage errors exit 1, help exits 0', async () => {
  const a = context({});
  assert.equal(await runCli(COMMANDS, ['nope'], a.ctx), 127);
  assert.match(a.err(), /^Usage: arca <command> \[args\]/);
  const b = context({});
  assert.equal(await runCli(COMMANDS, ['operator', 'init', '-bogus'], b.ctx), 1);
  assert.match(b.err(), /^flag provided but not defined: -bogus/);
  const c = context({});
  assert.equal(await runCli(COMMANDS, ['operator', 'unseal', '-h'], c.ctx), 0);
  assert.match(c.out(), /^Usage: arca operator unseal \[options\] \[KEY\]/);
});

test('read/write/list/status against a server speaking the wire format', async () => {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      requests.push(`${req.method} ${req.url} ${req.headers['x-vault-token'] ?? '-'} ${body}`);
      res.setHeader('content-type', 'application/json');
      if (req.method === 'PUT' && req.url === '/v1/secret/foo') return res.writeHead(204).end();
      if (req.method === 'GET' && req.url === '/v1/secret/foo') {
        return res.end(JSON.stringify({ request_id: 'r', lease_id: '', lease_duration: 2764800, renewable: false, data: { password: 'pw', ttl_hint: 'x' }, warnings: null, auth: null, wrap_info: null }));
      }
      if (req.method === 'GET' && req.url === '/v1/secret/?list=true') return res.end(JSON.stringify({ data: { keys: ['foo', 'bar/'] } }));
      if (req.url === '/v1/sys/seal-status') return res.end(JSON.stringify({ type: 'shamir', initialized: true, sealed: true, t: 3, n: 5, progress: 1, nonce: 'n1', version: '1.17.0', storage_type: 'sqlite' }));
      if (req.url === '/v1/sys/leader') return res.writeHead(503).end('{"errors":["Vault is sealed"]}');
      res.writeHead(404).end('{"errors":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const env = { VAULT_ADDR: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, VAULT_TOKEN: 'tok' };
  try {
    const w = context(env);
    assert.equal(await runCli(COMMANDS, ['write', 'secret/foo', 'password=pw'], w.ctx), 0);
    assert.equal(w.out(), 'Success! Data written to: secret/foo\n');
    assert.equal(requests[0], 'PUT /v1/secret/foo tok {"password":"pw"}');

    const r = context(env);
    assert.equal(await runCli(COMMANDS, ['read', 'secret/foo'], r.ctx), 0);
    assert.equal(r.out(), 'Key                 Value\n---                 -----\nrefresh_interval    768h\npassword            pw\nttl_hint            x\n');

    const f = context(env);
    assert.equal(await runCli(COMMANDS, ['read', '-field=password', 'secret/foo'], f.ctx), 0);
    assert.equal(f.out(), 'pw');

    const missing = context(env);
    assert.equal(await runCli(COMMANDS, ['read', 'secret/none'], missing.ctx), 2);
    assert.equal(missing.err(), 'No value found at secret/none\n');

    const l = context(env);
    assert.equal(await runCli(COMMANDS, ['list', 'secret'], l.ctx), 0);
    assert.equal(l.out(), 'Keys\n----\nbar/\nfoo\n');

    const s = context(env);
    assert.equal(await runCli(COMMANDS, ['status'], s.ctx), 2);
    assert.equal(s.out(), [
      'Key                Value', '---                -----', 'Seal Type          shamir', 'Initialized        true',
      'Sealed             true', 'Total Shares       5', 'Threshold          3', 'Unseal Progress    1/3',
      'Unseal Nonce       n1', 'Version            1.17.0', 'Storage Type       sqlite', 'HA Enabled         true', '',
    ].join('\n'));
  } finally {
    server.close();
  }
});
