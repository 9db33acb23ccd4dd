import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidRequest } from '../errors.js';
import { loadConfig, defaultDevConfig } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/config/', import.meta.url));
const GOLDEN = ['durable.hcl', 'defaults.hcl', 'pkcs11.hcl', 'migration.json'];

async function golden(name: string, actual: unknown): Promise<void> {
  const file = join(FIXTURES, `${name}.expected.json`);
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') await writeFile(file, text);
  assert.equal(text, await readFile(file, 'utf8'), `${name} drifted from its golden file (UPDATE_GOLDEN=1 to regenerate)`);
}

for (const name of GOLDEN) {
  test(`golden: ${name}`, async () => {
    await golden(name, await loadConfig([join(FIXTURES, name)]));
  });
}

test('golden: directory merge reads .hcl/.json sorted, later scalars win, listeners and seals accumulate', async () => {
  const config = await loadConfig([join(FIXTURES, 'merge-dir')]);
  await golden('merge-dir', config);
  assert.deepEqual(config.listeners.map((l) => l.address), ['127.0.0.1:8200', '127.0.0.1:8201']);
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.ui, true);
  assert.deepEqual(config.storage, { type: 'sqlite', options: { path: '/data/base.db' } });
});

test('defaults: no storage stanza gives sqlite under the data dir', async () => {
  const config = await loadConfig([join(FIXTURES, 'defaults.hcl')], { dataDir: '/srv/arca' });
  assert.deepEqual(config.storage, { type: 'sqlite', options: { path: '/srv/arca/arca.db' } });
  assert.equal(config.defaultLeaseTtlSeconds, 2764800);
  assert.equal(config.maxLeaseTtlSeconds, 2764800);
  assert.deepEqual(config.seals, []);
  assert.equal(config.listeners[0].maxRequestSize, 33554432);
});

test('later files override earlier ones given as separate paths', async () => {
  const config = await loadConfig([join(FIXTURES, 'durable.hcl'), join(FIXTURES, 'merge-dir', '10-base.hcl')]);
  assert.equal(config.logLevel, 'debug');
  assert.equal(config.logFormat, 'json');
  assert.deepEqual(config.storage.options, { path: '/data/base.db' });
  assert.equal(config.listeners.length, 2);
});

async function withFile(name: string, text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'arca-config-'));
  try {
    const path = join(dir, name);
    await writeFile(path, text);
    await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function rejects(name: string, text: string, pattern: RegExp): Promise<void> {
  await withFile(name, text, async (path) => {
    await assert.rejects(loadConfig([path]), (err: unknown) => {
      assert.ok(err instanceof InvalidRequest, `expected InvalidRequest, got ${String(err)}`);
      assert.match(err.message, pattern);
      assert.ok(err.message.includes(name), 'message names the file');
      return true;
    });
  });
}

test('unknown stanzas and keys are reported together, naming the file', async () => {
  await rejects('bad.hcl', 'listener "tcp" {\n  tls_disable = true\n  bogus = 1\n}\nplugin_directory = "/x"\n',
    /unknown configuration keys: plugin_directory, listener\.tcp\.bogus$/);
  await rejects('bad.json', '{"storage": {"sqlite": {"path": "x", "journal": "wal"}}}', /unknown configuration key: storage\.sqlite\.journal$/);
});

test('values are validated without echoing them', async () => {
  await rejects('ttl.hcl', 'default_lease_ttl = "forever-secret"\n', /default_lease_ttl: expected a duration/);
  await withFile('ttl.hcl', 'default_lease_ttl = "forever-secret"\n', async (path) => {
    await assert.rejects(loadConfig([path]), (err: Error) => !err.message.includes('forever-secret'));
  });
  await rejects('bool.hcl', 'ui = "maybe"\n', /ui: expected a boolean/);
  await rejects('tls.hcl', 'listener "tcp" {\n  address = "127.0.0.1:1"\n}\n', /tls_cert_file and tls_key_file are required/);
  await rejects('level.hcl', 'log_level = "loud"\n', /log_level must be one of/);
  await rejects('slot.hcl', 'seal "pkcs11" {\n  slot = 2305843009213693953\n}\n', /seal\.pkcs11\.slot: write integers this large as a quoted string/);
  await rejects('syntax.hcl', 'ui = \n', /invalid HCL/);
  await rejects('syntax.json', '{"ui": ', /invalid JSON/);
  await rejects('entropy.hcl', 'entropy "seal" {\n  mode = "replace"\n}\n', /entropy\.seal\.mode must be "augmentation"/);
  await rejects('ttls.hcl', 'default_lease_ttl = "2h"\nmax_lease_ttl = "1h"\n', /default_lease_ttl cannot be larger than max_lease_ttl/);
});

test('seal stanzas: two need exactly one disabled', async () => {
  await rejects('seals.hcl', 'seal "awskms" {\n  region = "x"\n}\nseal "transit" {\n  key_name = "k"\n}\n', /exactly one must be disabled/);
  await withFile('ok.hcl', 'seal "awskms" {\n  region = "x"\n  disabled = "false"\n}\nseal "shamir" {\n  disabled = true\n}\n', async (path) => {
    const config = await loadConfig([path]);
    assert.deepEqual(config.seals, [
      { type: 'awskms', disabled: false, options: { region: 'x' } },
      { type: 'shamir', disabled: true, options: {} },
    ]);
  });
});

test('missing paths and wrong extensions fail clearly', async () => {
  await assert.rejects(loadConfig(['/nonexistent/arca.hcl']), InvalidRequest);
  await assert.rejects(loadConfig([]), InvalidRequest);
  await withFile('config.yaml', 'ui: true', async (path) => {
    await assert.rejects(loadConfig([path]), /must end in \.hcl or \.json/);
  });
});

test('defaultDevConfig is in memory on plain HTTP at the given address', () => {
  const config = defaultDevConfig('127.0.0.1:18200');
  assert.deepEqual(config.storage, { type: 'inmem', options: {} });
  assert.equal(config.listeners[0].address, '127.0.0.1:18200');
  assert.equal(config.listeners[0].tlsDisable, true);
});
