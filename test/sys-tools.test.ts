/**
 * sys/tools/random and sys/tools/hash over HTTP: a dev server (Shamir seal, no generator) and a
 * PKCS#11 server with entropy augmentation, where `seal` and `all` reach the HSM's C_GenerateRandom.
 */
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pkcs11js } from '../src/seal/pkcs11/module.js';
import { startDevServer, startDurableServer, type DevServer } from './support/server.js';
import { createSoftHsmToken, requireSoftHsm } from './support/softhsm.js';

describe('sys/tools on a dev server', () => {
  let dev: DevServer;
  let defaultToken: string;
  before(async () => {
    dev = await startDevServer();
    ({ id: defaultToken } = await dev.server.composed.core.tokens.create({
      parent: '', policies: ['default'], path: 'auth/token/create', displayName: 'tools', ttl: 600, renewable: false,
    }));
  });
  after(() => dev.close());

  it('random: POST and GET, URL and body forms', async () => {
    const res = await dev.api.call('POST', 'sys/tools/random');
    assert.equal(res.status, 200, res.text);
    assert.equal(Buffer.from(res.json.data.random_bytes, 'base64').length, 32);
    const hex = await dev.api.call('POST', 'sys/tools/random/platform/164', { format: 'hex' });
    assert.match(hex.json.data.random_bytes, /^[0-9a-f]{328}$/);
    const get = await dev.api.call('GET', 'sys/tools/random/8?format=hex');
    assert.equal(get.status, 200, get.text);
    assert.match(get.json.data.random_bytes, /^[0-9a-f]{16}$/);
    const body = await dev.api.call('PUT', 'sys/tools/random', { bytes: 5, format: 'hex' });
    assert.match(body.json.data.random_bytes, /^[0-9a-f]{10}$/);
  });

  it('random: the Shamir seal has no generator: seal is a 400, all warns', async () => {
    const seal = await dev.api.call('POST', 'sys/tools/random/seal');
    assert.equal(seal.status, 400);
    assert.deepEqual(seal.json, { errors: ['entropy source "seal" is not available: seal "shamir" has no random number generator'] });
    const all = await dev.api.call('POST', 'sys/tools/random/all/16');
    assert.equal(all.status, 200);
    assert.equal(Buffer.from(all.json.data.random_bytes, 'base64').length, 16);
    assert.equal(all.json.warnings.length, 1);
  });

  it('random: bad input is a 400 in Vault\'s errors shape', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['sys/tools/random/0', undefined, /'bytes' cannot be less than 1/],
      ['sys/tools/random/131073', undefined, /'bytes' should be less than 131072/],
      ['sys/tools/random', { format: 'raw' }, /unsupported encoding format "raw"/],
      ['sys/tools/random/many', undefined, /error parsing url-set byte count/],
      ['sys/tools/random/hsm/8', undefined, /unsupported entropy source "hsm"/],
      ['sys/tools/random', { bytes: 'lots' }, /bytes/],
    ];
    for (const [path, body, message] of cases) {
      const res = await dev.api.call('POST', path, body);
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.equal(res.json.errors.length, 1);
      assert.match(res.json.errors[0], message);
    }
  });

  it('hash: URL and body algorithm, both formats', async () => {
    const input = Buffer.from('abc').toString('base64');
    const res = await dev.api.call('POST', 'sys/tools/hash/sha3-256', { input });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.sum, '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
    const b64 = await dev.api.call('PUT', 'sys/tools/hash', { input, algorithm: 'sha2-512', format: 'base64' });
    assert.equal(Buffer.from(b64.json.data.sum, 'base64').toString('hex').slice(0, 16), 'ddaf35a193617aba');
    const bad = await dev.api.call('POST', 'sys/tools/hash/sha2-256', { input: 'not base64!' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, { errors: ['unable to decode input as base64'] });
    const algo = await dev.api.call('POST', 'sys/tools/hash/md5', { input });
    assert.deepEqual([algo.status, algo.json], [400, { errors: ['unsupported algorithm md5'] }]);
  });

  it('ACL: the default policy grants hash but not random', async () => {
    const headers = { 'X-Vault-Token': defaultToken };
    const hash = await dev.api.call('POST', 'sys/tools/hash/sha2-256', { input: 'YWJj' }, headers);
    assert.equal(hash.status, 200, hash.text);
    const random = await dev.api.call('POST', 'sys/tools/random', undefined, headers);
    assert.equal(random.status, 403);
    assert.ok(Array.isArray(random.json.errors));
    const anonymous = await dev.api.call('POST', 'sys/tools/hash', { input: 'YWJj' }, { 'X-Vault-Token': '' });
    assert.equal(anonymous.status, 403);
  });
});

const skip = requireSoftHsm('sys/tools/random with a pkcs11 seal');
type Proto = { C_GenerateRandom: (...a: unknown[]) => unknown };

test('sys/tools/random draws seal and all from the HSM under entropy augmentation', { skip }, async () => {
  const token = createSoftHsmToken();
  const proto = pkcs11js().PKCS11.prototype as unknown as Proto;
  const original = proto.C_GenerateRandom;
  const sizes: number[] = [];
  let failing = false;
  proto.C_GenerateRandom = function (this: unknown, ...args: unknown[]) {
    sizes.push((args[1] as Buffer).length);
    if (failing) throw new Error('CKR_FUNCTION_FAILED:6');
    return original.apply(this, args);
  };
  const node = await startDurableServer(mkdtempSync(join(tmpdir(), 'arca-tools-')), {
    seals: [{ type: 'pkcs11', disabled: false, options: token.sealOptions() }],
    entropy: { mode: 'augmentation', sealType: 'pkcs11' },
  });
  try {
    const init = await node.api.call('PUT', 'sys/init', { recovery_shares: 1, recovery_threshold: 1 });
    assert.equal(init.status, 200, init.text);
    node.api.token = init.json.root_token;

    sizes.length = 0;
    const platform = await node.api.call('POST', 'sys/tools/random/platform/64');
    assert.equal(platform.status, 200, platform.text);
    assert.ok(!sizes.includes(64), `platform must not ask the HSM: ${JSON.stringify(sizes)}`);

    sizes.length = 0;
    const seal = await node.api.call('POST', 'sys/tools/random/seal/2000', { format: 'hex' });
    assert.equal(seal.status, 200, seal.text);
    assert.match(seal.json.data.random_bytes, /^[0-9a-f]{4000}$/);
    assert.equal(seal.json.warnings, null);
    assert.deepEqual(sizes.filter((n) => n === 1024 || n === 976), [1024, 976]);

    sizes.length = 0;
    const all = await node.api.call('POST', 'sys/tools/random', { source: 'all', bytes: 40 });
    assert.equal(all.status, 200, all.text);
    assert.equal(Buffer.from(all.json.data.random_bytes, 'base64').length, 40);
    assert.ok(sizes.includes(40), JSON.stringify(sizes));

    failing = true;
    const broken = await node.api.call('POST', 'sys/tools/random/seal/16');
    assert.equal(broken.status, 502, broken.text);
    assert.deepEqual(broken.json, { errors: ['seal "pkcs11" random number generator failed'] });
  } finally {
    failing = false;
    proto.C_GenerateRandom = original;
    await node.close();
  }
  token.remove();
});
