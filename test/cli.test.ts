/**
 * End to end: real `arca server` processes on ephemeral loopback ports, driven by the `arca` CLI.
 * Servers bind port 0 and the test reads the bound address from the "Listener:" line: probing a
 * free port and handing it to the server raced with every other suite binding ports in parallel.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arca, startArca, stopArca as stop } from './cli-support.js';

let home: string;
before(async () => { home = await mkdtemp(join(tmpdir(), 'arca-cli-home-')); });
after(async () => { await rm(home, { recursive: true, force: true }); });

test('dev server: status 0, seal → status 2, unseal with the printed key → status 0', async () => {
  const server = await startArca(['-dev', '-dev-listen-address', '127.0.0.1:0', '-dev-root-token-id', 'dev-root'], { HOME: home });
  try {
    const banner = server.output();
    const unsealKey = /^Unseal Key: (\S+)$/m.exec(banner)?.[1];
    assert.ok(unsealKey, `banner shows the unseal key:\n${banner}`);
    assert.match(banner, /^Root Token: dev-root$/m);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(banner.includes(`export VAULT_ADDR='${server.url}'`), banner);

    const env = { HOME: home, VAULT_ADDR: server.url, VAULT_TOKEN: 'dev-root' };
    const status = await arca(['status'], env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^Sealed\s+false$/m);
    assert.match(status.stdout, /^Initialized\s+true$/m);
    assert.match(status.stdout, /^Key\s+Value\n---\s+-----$/m);

    const json = await arca(['status', '-format=json'], env);
    assert.equal(json.code, 0);
    assert.equal(JSON.parse(json.stdout).sealed, false);

    const seal = await arca(['operator', 'seal'], env);
    assert.equal(seal.code, 0, seal.stderr);
    assert.equal(seal.stdout, 'Success! Vault is sealed.\n');
    const sealed = await arca(['status'], env);
    assert.equal(sealed.code, 2);
    assert.match(sealed.stdout, /^Sealed\s+true$/m);
    assert.match(sealed.stdout, /^Unseal Progress\s+0\/1$/m);

    const unseal = await arca(['operator', 'unseal', unsealKey], env);
    assert.equal(unseal.code, 0, unseal.stderr);
    assert.match(unseal.stdout, /^Sealed\s+false$/m);
    assert.equal((await arca(['status'], env)).code, 0);

    // Seal again and unseal with the key on stdin (not a terminal).
    assert.equal((await arca(['operator', 'seal'], env)).code, 0);
    const piped = await arca(['operator', 'unseal'], env, `${unsealKey}\n`);
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal((await arca(['status'], env)).code, 0);

    // A wrong key is an API error: exit 2 with Vault's error layout.
    assert.equal((await arca(['operator', 'seal'], env)).code, 0);
    const wrong = await arca(['operator', 'unseal', 'bm90LWEta2V5'], env);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /^Error unsealing: Error making API request\.\n\nURL: PUT http:\/\/127\.0\.0\.1:\d+\/v1\/sys\/unseal\nCode: \d{3}\. Errors:\n\n\* /);
  } finally {
    await stop(server);
  }
});

test('durable server: init 5/3, unseal with shares 5, 1, 3 in that order', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'arca-cli-durable-'));
  const config = join(dir, 'arca.hcl');
  await writeFile(config, `storage "sqlite" {\n  path = "${join(dir, 'arca.db')}"\n}\n\nlistener "tcp" {\n  address = "127.0.0.1:0"\n  tls_disable = true\n}\n`);
  const server = await startArca(['-config', config], { HOME: home });
  const env = { HOME: home, VAULT_ADDR: server.url };
  try {
    const before = await arca(['status'], env);
    assert.equal(before.code, 2, 'an uninitialized server is sealed');
    assert.match(before.stdout, /^Initialized\s+false$/m);

    const init = await arca(['operator', 'init', '-key-shares', '5', '-key-threshold', '3'], env);
    assert.equal(init.code, 0, init.stderr);
    const keys = [...init.stdout.matchAll(/^Unseal Key (\d): (\S+)$/gm)].map((m) => m[2]);
    assert.equal(keys.length, 5);
    const rootToken = /^Initial Root Token: (\S+)$/m.exec(init.stdout)?.[1];
    assert.ok(rootToken);
    assert.match(init.stdout, /Vault initialized with 5 key shares and a key threshold of 3\./);

    const again = await arca(['operator', 'init'], env);
    assert.equal(again.code, 2, 'a second init is refused');

    const first = await arca(['operator', 'unseal', keys[4]], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Unseal Progress\s+1\/3$/m);
    const second = await arca(['operator', 'unseal', keys[0]], env);
    assert.match(second.stdout, /^Unseal Progress\s+2\/3$/m);
    assert.equal((await arca(['status'], env)).code, 2);
    const third = await arca(['operator', 'unseal', keys[2]], env);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /^Sealed\s+false$/m);
    const after = await arca(['status'], env);
    assert.equal(after.code, 0);
    assert.match(after.stdout, /^Total Shares\s+5$/m);
    assert.match(after.stdout, /^Threshold\s+3$/m);

    const keyStatus = await arca(['operator', 'key-status'], { ...env, VAULT_TOKEN: rootToken });
    assert.equal(keyStatus.code, 0, keyStatus.stderr);
    assert.match(keyStatus.stdout, /^Key Term\s+1$/m);
  } finally {
    await stop(server);
    await rm(dir, { recursive: true, force: true });
  }
});
