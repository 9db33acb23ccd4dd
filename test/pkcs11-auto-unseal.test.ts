/**
 * Auto-unseal with seal "pkcs11" on a real SoftHSM2 token, end to end over HTTP on a durable
 * (SQLite) node: init returns recovery keys, five restarts in a row come up unsealed with no
 * human and serve earlier data, recovery keys authorise generate-root and rekey of the
 * recovery key but cannot unseal a node whose token is gone, each HSM fault leaves the node
 * sealed (health 503) with a one-line cause, and a rotated key rewraps the stored keys.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDurableServer, type Api } from './support/server.js';
import { createSoftHsmToken, requireSoftHsm, type SoftHsmToken } from './support/softhsm.js';
import { xorDecode } from '../src/core/ceremony/generate-root.js';
import { decodeWrapperBlob } from '../src/seal/wrapper-blob.js';
import { RECOVERY_KEY_PATH, STORED_ROOT_KEY_PATH } from '../src/seal/stored-keys.js';
import { createLogger } from '../src/util/log.js';
import { startServer } from '../src/server/run.js';
import { defaultDevConfig } from '../src/config/index.js';
import { apiClient } from './support/api.js';

const skip = requireSoftHsm('pkcs11 auto-unseal');

function pkcs11Seal(token: SoftHsmToken, extra: Record<string, string> = {}) {
  return { seals: [{ type: 'pkcs11', disabled: false, options: token.sealOptions(extra) }] };
}

async function until(api: Api, check: (status: any) => boolean): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const status = (await api.call('GET', 'sys/seal-status')).json;
    if (check(status)) return status;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

/** A durable node that records its log lines (the auto-unseal errors). */
async function startLogged(dataDir: string, token: SoftHsmToken, extra: Record<string, string> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', write: (line: string) => { lines.push(line); } });
  const config = { ...defaultDevConfig('127.0.0.1:0'), storage: { type: 'sqlite', options: { path: join(dataDir, 'arca.db') } }, ...pkcs11Seal(token, extra) };
  const server = await startServer(config, { logger });
  return { server, api: apiClient(server.addresses[0]), lines, close: () => server.close() };
}

async function generateRoot(api: Api, keys: string[]): Promise<string> {
  const attempt = await api.call('PUT', 'sys/generate-root/attempt', {});
  assert.equal(attempt.status, 200);
  let result: any;
  for (const key of keys) result = (await api.call('PUT', 'sys/generate-root/update', { key, nonce: attempt.json.nonce })).json;
  assert.equal(result.complete, true, JSON.stringify(result));
  return xorDecode(result.encoded_token, attempt.json.otp);
}

describe('pkcs11 auto-unseal on a durable node', { skip }, () => {
  test('init, five unattended restarts, recovery-key ceremonies, key rotation', async () => {
    const token = createSoftHsmToken();
    const dataDir = mkdtempSync(join(tmpdir(), 'arca-pkcs11-'));
    let node = await startDurableServer(dataDir, pkcs11Seal(token));
    let rootToken: string;
    let recoveryKeys: string[];
    try {
      const before = (await node.api.call('GET', 'sys/seal-status')).json;
      assert.equal(before.type, 'pkcs11');
      assert.equal(before.recovery_seal, true);
      assert.equal(before.initialized, false);
      const init = await node.api.call('PUT', 'sys/init', { recovery_shares: 5, recovery_threshold: 3 });
      assert.equal(init.status, 200, init.text);
      assert.deepEqual(init.json.keys, []);
      recoveryKeys = init.json.recovery_keys;
      assert.equal(recoveryKeys.length, 5);
      assert.equal(init.json.recovery_keys_base64.length, 5);
      rootToken = init.json.root_token;
      const status = (await node.api.call('GET', 'sys/seal-status')).json;
      assert.equal(status.sealed, false);
      assert.equal(status.type, 'pkcs11');
      assert.equal(status.recovery_seal, true);
      assert.equal(status.t, 3);
      assert.equal(status.n, 5);
      node.api.token = rootToken;
      assert.equal((await node.api.call('POST', 'sys/mounts/kv', { type: 'kv' })).status, 204);
      assert.equal((await node.api.call('PUT', 'kv/app', { password: 'written-before' })).status, 204);
    } finally {
      await node.close();
    }

    for (let restart = 1; restart <= 5; restart++) {
      node = await startDurableServer(dataDir, pkcs11Seal(token));
      try {
        const status = await until(node.api, (s) => s.sealed === false);
        assert.equal(status.type, 'pkcs11');
        node.api.token = rootToken;
        const read = await node.api.call('GET', 'kv/app');
        assert.equal(read.status, 200, `restart ${restart}`);
        assert.equal(read.json.data.password, 'written-before');
        assert.equal((await node.api.call('PUT', `kv/restart-${restart}`, { n: restart })).status, 204);
      } finally {
        await node.close();
      }
    }

    node = await startDurableServer(dataDir, pkcs11Seal(token));
    try {
      await until(node.api, (s) => s.sealed === false);
      node.api.token = rootToken;
      // Recovery keys authorise generate-root.
      const newRoot = await generateRoot(node.api, recoveryKeys.slice(1, 4));
      assert.match(newRoot, /^hvs\./);
      assert.equal((await node.api.call('GET', 'kv/restart-5', undefined, { 'X-Vault-Token': newRoot })).status, 200);
      // Rekey of the recovery key: the old shares authorise, the new ones work afterwards.
      const rekey = await node.api.call('PUT', 'sys/rekey-recovery-key/init', { secret_shares: 3, secret_threshold: 2 });
      assert.equal(rekey.status, 200, rekey.text);
      let done: any;
      for (const key of recoveryKeys.slice(0, 3)) done = (await node.api.call('PUT', 'sys/rekey-recovery-key/update', { key, nonce: rekey.json.nonce })).json;
      assert.equal(done.complete, true, JSON.stringify(done));
      assert.equal(done.keys.length, 3);
      const fresh: string[] = done.keys;
      assert.equal((await node.api.call('GET', 'sys/seal-status')).json.n, 3);
      assert.match(await generateRoot(node.api, fresh.slice(0, 2)), /^hvs\./);
      const stale = await node.api.call('PUT', 'sys/generate-root/attempt', {});
      const refused = await node.api.call('PUT', 'sys/generate-root/update', { key: recoveryKeys[0], nonce: stale.json.nonce });
      await node.api.call('PUT', 'sys/generate-root/update', { key: recoveryKeys[1], nonce: stale.json.nonce }).then((r) => {
        assert.equal(refused.status === 400 || r.status === 400, true, 'old recovery shares no longer combine');
      });
      await node.api.call('DELETE', 'sys/generate-root/attempt');
      recoveryKeys = fresh;
    } finally {
      await node.close();
    }

    // Rotation: a new key label; old blobs still open and are rewritten under the new key.
    node = await startDurableServer(dataDir, pkcs11Seal(token, { key_label: 'arca-root-2' }));
    try {
      await until(node.api, (s) => s.sealed === false);
      node.api.token = rootToken;
      assert.equal((await node.api.call('GET', 'kv/app')).json.data.password, 'written-before');
      const physical = node.server.composed.core.physical;
      for (const path of [STORED_ROOT_KEY_PATH, RECOVERY_KEY_PATH]) {
        assert.match(decodeWrapperBlob((await physical.get(path))!).keyId, /^arca-root-2:/, path);
      }
    } finally {
      await node.close();
    }

    // The token is gone: recovery keys cannot unseal; the node stays sealed.
    token.destroy();
    const gone = await startLogged(dataDir, token, { key_label: 'arca-root-2' });
    try {
      const status = (await gone.api.call('GET', 'sys/seal-status')).json;
      assert.equal(status.sealed, true);
      assert.equal(status.initialized, true);
      assert.equal((await gone.api.call('GET', 'sys/health')).status, 503);
      for (const key of recoveryKeys) {
        const r = await gone.api.call('PUT', 'sys/unseal', { key });
        assert.equal(r.status, 400);
      }
      assert.equal((await gone.api.call('GET', 'sys/seal-status')).json.sealed, true);
      assert.ok(gone.lines.some((l) => /no token present with token_label "arca"/.test(l)), gone.lines.join('\n'));
    } finally {
      await gone.close();
    }
    token.remove();
  });

  test('faults leave the node sealed with a one-line cause and retry: wrong PIN, missing library, missing key', async () => {
    const token = createSoftHsmToken();
    const dataDir = mkdtempSync(join(tmpdir(), 'arca-pkcs11-faults-'));
    const first = await startDurableServer(dataDir, pkcs11Seal(token));
    await first.api.call('PUT', 'sys/init', { recovery_shares: 1, recovery_threshold: 1 });
    await first.close();

    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ pin: '0000' }, /pkcs11: the token refused the PIN \(CKR_PIN_INCORRECT\); not retrying/],
      [{ lib: join(dataDir, 'missing-libsofthsm2.so') }, /pkcs11: library not found at /],
      [{ key_label: 'never-made', generate_key: 'false' }, /pkcs11: no key with label "never-made" on the token/],
    ];
    for (const [extra, cause] of cases) {
      const node = await startLogged(dataDir, token, extra);
      try {
        const status = (await node.api.call('GET', 'sys/seal-status')).json;
        assert.equal(status.sealed, true);
        assert.equal(status.type, 'pkcs11');
        assert.equal((await node.api.call('GET', 'sys/health')).status, 503);
        const matching = () => node.lines.filter((l) => cause.test(l));
        for (let i = 0; i < 100 && matching().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        assert.ok(matching().length > 0, node.lines.join('\n'));
        for (const line of matching()) {
          assert.equal(line.trim().includes('\n'), false);
          assert.equal(line.includes(token.pin), false);
          if (extra.pin) assert.equal(line.includes(extra.pin), false);
        }
        assert.ok(node.lines.some((l) => /auto-unseal failed, retrying in \d+ ms/.test(l)), node.lines.join('\n'));
      } finally {
        await node.close();
      }
    }
    // With the fault fixed the same data directory unseals by itself.
    const fixed = await startDurableServer(dataDir, pkcs11Seal(token));
    try {
      await until(fixed.api, (s) => s.sealed === false);
    } finally {
      await fixed.close();
    }
    token.remove();
  });
});
