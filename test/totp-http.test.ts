/** The TOTP engine over HTTP against a real dev server: import, generate, validate once. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevServer, type DevServer } from './support/server.js';
import { base32Encode } from '../src/engines/totp/otp.js';
import { readQrPng } from './support/qr.js';

let dev: DevServer;
const call = (method: string, path: string, body?: unknown) => dev.api.call(method, path, body);

before(async () => {
  dev = await startDevServer();
  assert.equal((await call('POST', 'sys/mounts/totp', { type: 'totp' })).status, 204);
});
after(async () => { await dev.close(); });

test('generate a key, read its code, validate it once, list and delete', async () => {
  const gen = await call('POST', 'totp/keys/app', { generate: true, issuer: 'Arca', account_name: 'alice' });
  assert.equal(gen.status, 200, gen.text);
  assert.match(gen.json.data.url, /^otpauth:\/\/totp\/Arca:alice\?algorithm=SHA1&digits=6&issuer=Arca&period=30&secret=[A-Z2-7]{32}$/);
  assert.deepEqual(readQrPng(gen.json.data.barcode), { width: 200, height: 200, text: gen.json.data.url });
  assert.equal(gen.json.warnings, null);
  const code = await call('GET', 'totp/code/app');
  assert.equal(code.status, 200);
  assert.match(code.json.data.code, /^[0-9]{6}$/);
  const valid = await call('POST', 'totp/code/app', { code: code.json.data.code });
  assert.deepEqual(valid.json.data, { valid: true });
  const replay = await call('POST', 'totp/code/app', { code: code.json.data.code });
  assert.equal(replay.status, 400);
  assert.deepEqual(replay.json, { errors: ['code already used; wait until the next time period'] });

  const imported = await call('POST', 'totp/keys/imported', { key: base32Encode(Buffer.from('12345678901234567890')), digits: 8 });
  assert.equal(imported.status, 204, imported.text);
  assert.deepEqual((await call('GET', 'totp/keys/imported')).json.data, { issuer: '', account_name: '', period: 30, algorithm: 'SHA1', digits: 8 });
  assert.deepEqual((await call('LIST', 'totp/keys')).json.data.keys, ['app', 'imported']);
  assert.equal((await call('DELETE', 'totp/keys/app')).status, 204);
  assert.equal((await call('GET', 'totp/keys/app')).status, 404);
  const unknown = await call('GET', 'totp/code/app');
  assert.equal(unknown.status, 400);
});
