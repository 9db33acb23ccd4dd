/**
 * Seal migration on real SoftHSM2 tokens, Vault's flow: the old stanza marked disabled beside
 * the new one, `sys/unseal` with `migrate: true`. Every path writes data first and reads every
 * key back afterwards, across restarts: Shamir → pkcs11, pkcs11 → Shamir, pkcs11 key A →
 * pkcs11 key B (another token). A migration interrupted half-way (node stopped with progress
 * entered) resumes after the restart and loses nothing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SealStanza } from '../src/config/types.js';
import { startDurableServer, type Api } from './support/server.js';
import { createSoftHsmToken, requireSoftHsm, type SoftHsmToken } from './support/softhsm.js';
import { xorDecode } from '../src/core/ceremony/generate-root.js';

const skip = requireSoftHsm('pkcs11 seal migration');
const DATA: Record<string, string> = { 'kv/a': 'alpha', 'kv/b/c': 'bravo', 'kv/d': 'delta' };

const pkcs11 = (token: SoftHsmToken, extra: Record<string, string> = {}, disabled = false): SealStanza =>
  ({ type: 'pkcs11', disabled, options: token.sealOptions(extra) });

async function start(dataDir: string, seals: SealStanza[]) {
  return startDurableServer(dataDir, { seals });
}

async function status(api: Api): Promise<any> {
  return (await api.call('GET', 'sys/seal-status')).json;
}

async function until(api: Api, check: (s: any) => boolean): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const s = await status(api);
    if (check(s)) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

async function writeData(api: Api): Promise<void> {
  assert.equal((await api.call('POST', 'sys/mounts/kv', { type: 'kv' })).status, 204);
  for (const [path, value] of Object.entries(DATA)) assert.equal((await api.call('PUT', path, { value })).status, 204);
}

async function readData(api: Api, root: string): Promise<void> {
  for (const [path, value] of Object.entries(DATA)) {
    const r = await api.call('GET', path, undefined, { 'X-Vault-Token': root });
    assert.equal(r.status, 200, path);
    assert.equal(r.json.data.value, value);
  }
}

async function unseal(api: Api, keys: string[], migrate = false): Promise<any> {
  let s: any;
  for (const key of keys) {
    const r = await api.call('PUT', 'sys/unseal', { key, migrate });
    assert.equal(r.status, 200, r.text);
    s = r.json;
  }
  return s;
}

async function generateRoot(api: Api, keys: string[]): Promise<string> {
  const attempt = (await api.call('PUT', 'sys/generate-root/attempt', {})).json;
  let result: any;
  for (const key of keys) result = (await api.call('PUT', 'sys/generate-root/update', { key, nonce: attempt.nonce })).json;
  assert.equal(result.complete, true, JSON.stringify(result));
  return xorDecode(result.encoded_token, attempt.otp);
}

/** A Shamir node (3 shares, threshold 2) with data written. */
async function shamirNode(dataDir: string): Promise<{ keys: string[]; root: string }> {
  const node = await start(dataDir, []);
  try {
    const init = (await node.api.call('PUT', 'sys/init', { secret_shares: 3, secret_threshold: 2 })).json;
    await unseal(node.api, init.keys.slice(0, 2));
    node.api.token = init.root_token;
    await writeData(node.api);
    return { keys: init.keys, root: init.root_token };
  } finally {
    await node.close();
  }
}

describe('seal migration', { skip }, () => {
  test('Shamir → pkcs11, interrupted half-way then resumed; the old unseal keys become recovery keys', async () => {
    const token = createSoftHsmToken();
    const dataDir = mkdtempSync(join(tmpdir(), 'arca-migrate-'));
    const { keys, root } = await shamirNode(dataDir);

    let node = await start(dataDir, [pkcs11(token)]);
    try {
      const s = await status(node.api);
      assert.equal(s.sealed, true);
      assert.equal(s.migration, true);
      assert.equal(s.type, 'pkcs11');
      assert.equal(s.t, 2);
      const plain = await node.api.call('PUT', 'sys/unseal', { key: keys[0] });
      assert.equal(plain.status, 400);
      assert.match(plain.json.errors[0], /migrate/);
      const half = await unseal(node.api, [keys[0]], true);
      assert.equal(half.progress, 1);
      assert.equal(half.migration, true);
    } finally {
      await node.close(); // interrupted with one share entered
    }

    node = await start(dataDir, [pkcs11(token)]);
    try {
      const s = await status(node.api);
      assert.equal(s.migration, true);
      assert.equal(s.progress, 0);
      const done = await unseal(node.api, [keys[1], keys[2]], true);
      assert.equal(done.sealed, false);
      assert.equal(done.migration, false);
      assert.equal(done.recovery_seal, true);
      await readData(node.api, root);
    } finally {
      await node.close();
    }

    node = await start(dataDir, [pkcs11(token)]);
    try {
      const s = await until(node.api, (x) => x.sealed === false);
      assert.equal(s.migration, false);
      await readData(node.api, root);
      node.api.token = root;
      assert.match(await generateRoot(node.api, [keys[2], keys[0]]), /^hvs\./);
    } finally {
      await node.close();
    }
    token.remove();
  });

  test('pkcs11 → Shamir: the recovery keys become unseal keys', async () => {
    const token = createSoftHsmToken();
    const dataDir = mkdtempSync(join(tmpdir(), 'arca-migrate-'));
    let node = await start(dataDir, [pkcs11(token)]);
    let recovery: string[];
    let root: string;
    try {
      const init = (await node.api.call('PUT', 'sys/init', { recovery_shares: 3, recovery_threshold: 2 })).json;
      recovery = init.recovery_keys;
      root = init.root_token;
      node.api.token = root;
      await writeData(node.api);
    } finally {
      await node.close();
    }

    node = await start(dataDir, [pkcs11(token, {}, true)]);
    try {
      const s = await status(node.api);
      assert.equal(s.type, 'shamir');
      assert.equal(s.migration, true);
      assert.equal(s.sealed, true);
      const wrong = await node.api.call('PUT', 'sys/unseal', { key: Buffer.alloc(33, 9).toString('hex'), migrate: true });
      assert.equal(wrong.status, 200); // first of two shares: accepted into progress
      const refused = await node.api.call('PUT', 'sys/unseal', { key: recovery[0], migrate: true });
      assert.equal(refused.status, 400);
      assert.equal((await status(node.api)).sealed, true);
      const done = await unseal(node.api, [recovery[1], recovery[2]], true);
      assert.equal(done.sealed, false);
      await readData(node.api, root);
    } finally {
      await node.close();
    }

    node = await start(dataDir, []);
    try {
      const s = await status(node.api);
      assert.equal(s.type, 'shamir');
      assert.equal(s.sealed, true);
      assert.equal(s.migration, false);
      assert.equal((await unseal(node.api, [recovery[0], recovery[2]])).sealed, false);
      await readData(node.api, root);
    } finally {
      await node.close();
    }
    token.remove();
  });

  test('pkcs11 key A → pkcs11 key B on another token', async () => {
    const token = createSoftHsmToken();
    execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'arca-b', '--pin', token.pin, '--so-pin', token.soPin], { env: { ...process.env, ...token.env }, stdio: 'ignore' });
    const tokenB = (extra: Record<string, string> = {}): SealStanza => pkcs11(token, { token_label: 'arca-b', key_label: 'key-b', ...extra });
    const dataDir = mkdtempSync(join(tmpdir(), 'arca-migrate-'));
    let node = await start(dataDir, [pkcs11(token, { key_label: 'key-a' })]);
    let recovery: string[];
    let root: string;
    try {
      const init = (await node.api.call('PUT', 'sys/init', { recovery_shares: 1, recovery_threshold: 1 })).json;
      recovery = init.recovery_keys;
      root = init.root_token;
      node.api.token = root;
      await writeData(node.api);
    } finally {
      await node.close();
    }

    node = await start(dataDir, [pkcs11(token, { key_label: 'key-a' }, true), tokenB()]);
    try {
      const s = await status(node.api);
      assert.equal(s.migration, true);
      assert.equal(s.sealed, true);
      const done = await unseal(node.api, recovery, true);
      assert.equal(done.sealed, false);
      await readData(node.api, root);
    } finally {
      await node.close();
    }

    // Only token B now; key A's token label no longer configured.
    node = await start(dataDir, [tokenB({ generate_key: 'false' })]);
    try {
      await until(node.api, (x) => x.sealed === false);
      await readData(node.api, root);
    } finally {
      await node.close();
    }
    token.remove();
  });
});
