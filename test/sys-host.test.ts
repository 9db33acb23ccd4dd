/**
 * sys/host-info, sys/config/state/sanitized, sys/version-history and sys/loggers over HTTP on a
 * dev server, with a default-policy token for the ACL refusals.
 */
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { ARCA_VERSION } from '../src/core/core.js';
import { startDevServer, type DevServer } from './support/server.js';

describe('sys host and server endpoints', () => {
  let dev: DevServer;
  let plain: Record<string, string>;
  before(async () => {
    dev = await startDevServer();
    const { id } = await dev.server.composed.core.tokens.create({
      parent: '', policies: ['default'], path: 'auth/token/create', displayName: 'plain', ttl: 600, renewable: false,
    });
    plain = { 'X-Vault-Token': id };
  });
  after(() => dev.close());

  it('GET sys/host-info', async () => {
    const res = await dev.api.call('GET', 'sys/host-info');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.host.hostname, hostname());
    assert.ok(res.json.data.memory.total > 0);
    assert.ok(Array.isArray(res.json.data.cpu) && Array.isArray(res.json.data.cpu_times) && Array.isArray(res.json.data.disk));
  });

  it('GET sys/config/state/sanitized', async () => {
    const res = await dev.api.call('GET', 'sys/config/state/sanitized');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.storage.type, (await dev.api.call('GET', 'sys/seal-status')).json.storage_type);
    assert.deepEqual(res.json.data.seals, [{ type: 'shamir', disabled: false }]);
    assert.equal(res.json.data.listeners[0].type, 'tcp');
    assert.equal(typeof res.json.data.default_lease_ttl, 'number');
  });

  it('LIST sys/version-history records the running version', async () => {
    const res = await dev.api.call('LIST', 'sys/version-history');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data.keys, [ARCA_VERSION]);
    const info = res.json.data.key_info[ARCA_VERSION];
    assert.equal(info.previous_version, null);
    assert.ok(!Number.isNaN(Date.parse(info.timestamp_installed)));
    const query = await dev.api.call('GET', 'sys/version-history?list=true');
    assert.deepEqual(query.json.data.keys, [ARCA_VERSION]);
    assert.equal((await dev.api.call('GET', 'sys/version-history')).status, 405);
  });

  it('sys/loggers: set, read, revert; the running logger follows', async () => {
    const set = await dev.api.call('POST', 'sys/loggers', { level: 'debug' });
    assert.equal(set.status, 204, set.text);
    assert.deepEqual((await dev.api.call('GET', 'sys/loggers')).json.data, { core: 'debug' });
    assert.equal((await dev.api.call('PUT', 'sys/loggers/core', { level: 'trace' })).status, 204);
    assert.deepEqual((await dev.api.call('GET', 'sys/loggers/core')).json.data, { core: 'trace' });
    assert.equal((await dev.api.call('DELETE', 'sys/loggers/core')).status, 204);
    const configured = (await dev.api.call('GET', 'sys/config/state/sanitized')).json.data.log_level;
    assert.deepEqual((await dev.api.call('GET', 'sys/loggers')).json.data, { core: configured });
    assert.equal((await dev.api.call('DELETE', 'sys/loggers')).status, 204);
  });

  it('sys/loggers: bad input is a 400 in Vault\'s errors shape', async () => {
    const bad = await dev.api.call('POST', 'sys/loggers', { level: 'loud' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.errors.length, 1);
    assert.match(bad.json.errors[0], /invalid level provided/);
    const missing = await dev.api.call('POST', 'sys/loggers/core', {});
    assert.deepEqual([missing.status, missing.json], [400, { errors: ['level is required'] }]);
    const unknown = await dev.api.call('GET', 'sys/loggers/expiration');
    assert.deepEqual([unknown.status, unknown.json], [400, { errors: ['logger "expiration" not found'] }]);
  });

  it('a default-policy token is refused every one of them', async () => {
    const calls: Array<[string, string, unknown?]> = [
      ['GET', 'sys/host-info'],
      ['GET', 'sys/config/state/sanitized'],
      ['LIST', 'sys/version-history'],
      ['GET', 'sys/loggers'],
      ['POST', 'sys/loggers', { level: 'trace' }],
      ['DELETE', 'sys/loggers/core'],
    ];
    for (const [method, path, body] of calls) {
      const res = await dev.api.call(method, path, body, plain);
      assert.equal(res.status, 403, `${method} ${path}: ${res.text}`);
      assert.ok(Array.isArray(res.json.errors));
    }
    assert.notEqual((await dev.api.call('GET', 'sys/loggers')).json.data.core, 'trace', 'the refused write changed nothing');
  });
});

test('sys/in-flight-req lists the requests being handled, itself included, without headers or tokens', async () => {
  const s = await startDevServer();
  try {
    const res = await s.api.call('GET', 'sys/in-flight-req');
    assert.equal(res.status, 200);
    const entries = Object.values(res.json as Record<string, Record<string, string>>);
    const self = entries.find((e) => e.request_path === '/v1/sys/in-flight-req');
    assert.ok(self, res.text);
    assert.equal(self.request_method, 'GET');
    assert.match(self.start_time, /^\d{4}-\d\d-\d\dT/);
    assert.ok(!res.text.includes(s.api.token), 'no token in the answer');
  } finally {
    await s.close();
  }
});
