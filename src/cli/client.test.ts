import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, createClient, renderApiError, TransportError } from './client.js';
import { clientSettings } from './settings.js';

test('errors render exactly like the Vault CLI', () => {
  assert.equal(
    renderApiError('PUT', 'http://127.0.0.1:8200/v1/sys/unseal', 400, ['invalid key'], false),
    'Error making API request.\n\nURL: PUT http://127.0.0.1:8200/v1/sys/unseal\nCode: 400. Errors:\n\n* invalid key',
  );
  assert.equal(
    renderApiError('GET', 'http://h/v1/x', 502, ['Bad Gateway'], true),
    'Error making API request.\n\nURL: GET http://h/v1/x\nCode: 502. Raw Message:\n\nBad Gateway',
  );
});

test('settings: flags beat ARCA_* beat VAULT_*; the default is plain http on 8200', () => {
  const none = { address: '', 'ca-cert': '', 'tls-skip-verify': false };
  const home = '/nonexistent-home';
  assert.equal(clientSettings(none, {}, home).address, 'http://127.0.0.1:8200');
  assert.equal(clientSettings(none, { VAULT_ADDR: 'http://v:1', ARCA_ADDR: 'http://a:1' }, home).address, 'http://a:1');
  assert.equal(clientSettings({ ...none, address: 'http://f:1' }, { ARCA_ADDR: 'http://a:1' }, home).address, 'http://f:1');
  assert.equal(clientSettings(none, { VAULT_TOKEN: 'v', ARCA_TOKEN: 'a' }, home).token, 'a');
  assert.equal(clientSettings(none, { VAULT_SKIP_VERIFY: 'true' }, home).skipVerify, true);
  assert.equal(clientSettings(none, {}, home).token, undefined);
});

test('requests carry the token and X-Vault-Request; error bodies become ApiError', async () => {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    if (req.url === '/v1/sys/bad') {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":["first","second"]}');
    } else if (req.url === '/v1/secret/missing') {
      res.writeHead(404).end('{"errors":[]}');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const client = createClient({ address: `http://127.0.0.1:${port}`, token: 'hvs.test' });
    const ok = await client.get('sys/ok', { query: { list: true } });
    assert.deepEqual(ok.body, { ok: true });
    assert.equal(seen[0].headers['x-vault-token'], 'hvs.test');
    assert.equal(seen[0].headers['x-vault-request'], 'true');
    assert.equal(seen[0].url, '/v1/sys/ok?list=true');

    await assert.rejects(client.put('sys/bad', { a: 1 }), (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 400);
      assert.deepEqual(err.errors, ['first', 'second']);
      assert.equal(err.message, `Error making API request.\n\nURL: PUT http://127.0.0.1:${port}/v1/sys/bad\nCode: 400. Errors:\n\n* first* second`);
      return true;
    });
    const missing = await client.get('secret/missing', { accept: [404] });
    assert.equal(missing.status, 404);
  } finally {
    server.close();
  }
  await assert.rejects(createClient({ address: `http://127.0.0.1:${port}` }).get('sys/health'), TransportError);
});
