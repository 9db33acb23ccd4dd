/**
 * `arca unsealer --mode=hsm` on a real SoftHSM2 token against real server processes: keys live as
 * CKO_DATA objects labelled with the key name holding RSA-OAEP(SHA-1) ciphertext under a
 * generated, non-extractable `bank-vaults` key pair; a restarted node is unsealed from them;
 * host-side encryption (Bank-Vaults' OpenSC path) interoperates with the token's; a
 * wrong PIN stops with one line naming the cause. With an auto-sealed node (seal "pkcs11" on a
 * second token) `--auto` stores recovery keys and sends no unseal keys.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { spawnServer, sqliteConfig, type ServerChild } from './support/process.js';
import { createSoftHsmToken, requireSoftHsm, type SoftHsmToken } from './support/softhsm.js';
import { assertNoSecrets, freePort, sealStatus, storeContents, unsealer, waitForStatus } from './support/unsealer.js';
import { openHsmStore } from '../src/unsealer/hsm-store.js';

const skip = requireSoftHsm('unsealer hsm store');
const require = createRequire(import.meta.url);

/** Data objects and the key pair as the token holds them, read with pkcs11js directly. */
function inspectToken(token: SoftHsmToken): { data: Map<string, Buffer>; privateKey: { extractable: boolean; sensitive: boolean } } {
  const p = require('pkcs11js');
  const api = new p.PKCS11();
  api.load(token.lib);
  api.C_Initialize();
  try {
    const slot = api.C_GetSlotList(true).find((s: Buffer) => api.C_GetTokenInfo(s).label.trim() === token.label);
    const session = api.C_OpenSession(slot, p.CKF_SERIAL_SESSION | p.CKF_RW_SESSION);
    api.C_Login(session, p.CKU_USER, token.pin);
    const find = (template: unknown[]) => {
      api.C_FindObjectsInit(session, template);
      const found = api.C_FindObjects(session, 64);
      api.C_FindObjectsFinal(session);
      return found as Buffer[];
    };
    const data = new Map<string, Buffer>();
    for (const h of find([{ type: p.CKA_CLASS, value: p.CKO_DATA }])) {
      const [label, value] = api.C_GetAttributeValue(session, h, [{ type: p.CKA_LABEL }, { type: p.CKA_VALUE }]);
      data.set(label.value.toString(), Buffer.from(value.value));
    }
    const [priv] = find([{ type: p.CKA_CLASS, value: p.CKO_PRIVATE_KEY }, { type: p.CKA_LABEL, value: 'bank-vaults' }]);
    const [extractable, sensitive] = api.C_GetAttributeValue(session, priv, [{ type: p.CKA_EXTRACTABLE }, { type: p.CKA_SENSITIVE }]);
    api.C_CloseSession(session);
    return { data, privateKey: { extractable: extractable.value[0] === 1, sensitive: sensitive.value[0] === 1 } };
  } finally {
    api.C_Finalize();
    api.close();
  }
}

describe('arca unsealer, hsm store on SoftHSM2', { skip }, () => {
  let token: SoftHsmToken;
  let server: ServerChild | undefined;
  const outputs: string[] = [];
  after(async () => { await server?.stop(); token?.remove(); });

  test('init stores encrypted CKO_DATA objects; a restarted node is unsealed from them', async () => {
    token = createSoftHsmToken({ label: 'unsealer' });
    const dir = mkdtempSync(join(tmpdir(), 'arca-unsealer-hsm-'));
    const port = await freePort();
    const config = sqliteConfig(dir, { listener: { tcp: { address: `127.0.0.1:${port}`, tls_disable: true } } });
    server = await spawnServer(config, dir);
    const args = ['--mode=hsm', `--hsm-module-path=${token.lib}`, `--hsm-token-label=${token.label}`];
    const env = { HOME: dir, VAULT_ADDR: server.url, SOFTHSM2_CONF: token.conf, BANK_VAULTS_HSM_PIN: token.pin };

    const init = await unsealer(['unsealer', 'unseal', '--init', '--once', ...args], env);
    outputs.push(init.output);
    assert.equal(init.code, 0, init.output);
    assert.equal((await sealStatus(server.url)).sealed, false);

    const { data, privateKey } = inspectToken(token);
    assert.deepEqual([...data.keys()].sort(), ['vault-root', 'vault-unseal-0', 'vault-unseal-1', 'vault-unseal-2', 'vault-unseal-3', 'vault-unseal-4']);
    for (const [label, value] of data) assert.equal(value.length, 256, `${label} holds one RSA-2048 block`);
    assert.deepEqual(privateKey, { extractable: false, sensitive: true });

    // The values decrypt on the token, and only there; they are not in the objects in clear.
    const store = openHsmStore({ modulePath: token.lib, slotId: 0, tokenLabel: token.label, pin: token.pin, keyLabel: 'bank-vaults' });
    const values: string[] = [];
    try {
      for (const label of data.keys()) {
        const value = Buffer.from((await store.get(label))!).toString();
        values.push(value);
        assert.ok(!data.get(label)!.includes(Buffer.from(value)));
      }
    } finally {
      await store.close();
    }
    assert.match(values.find((v) => v.length === 66)!, /^[0-9a-f]{66}$/, 'unseal keys are stored as Vault hex shares');

    await server.stop();
    server = await spawnServer(config, dir);
    assert.equal((await sealStatus(server.url)).sealed, true);
    const again = await unsealer(['unsealer', 'unseal', '--once', ...args], { ...env, VAULT_ADDR: server.url });
    outputs.push(again.output);
    assert.equal(again.code, 0, again.output);
    assert.equal((await sealStatus(server.url)).sealed, false);

    // A second init finds the server initialised and leaves the token alone.
    const second = await unsealer(['unsealer', 'init', ...args], { ...env, VAULT_ADDR: server.url });
    outputs.push(second.output);
    assert.equal(second.code, 0, second.output);
    const sorted = (m: Map<string, Buffer>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
    assert.deepEqual(sorted(inspectToken(token).data), sorted(data));

    assertNoSecrets(outputs.join('\n'), values);
    assert.ok(!outputs.join('\n').includes(token.pin), 'the PIN is not printed');
  });

  test('values encrypted on the host (the OpenSC path) decrypt on the token, and the reverse', async () => {
    const base = { modulePath: token.lib, slotId: 0, tokenLabel: token.label, pin: token.pin, keyLabel: 'bank-vaults' };
    const host = openHsmStore({ ...base, encryptOnHost: true });
    try {
      await host.create('host-encrypted', new Uint8Array(Buffer.from('share written on the host')));
      assert.equal(Buffer.from((await host.get('host-encrypted'))!).toString(), 'share written on the host');
      assert.equal(Buffer.from((await host.get('vault-unseal-0'))!).toString().length, 66, 'reads what the token encrypted');
      await host.delete('host-encrypted');
      assert.equal(await host.get('host-encrypted'), undefined);
    } finally {
      await host.close();
    }
  });

  test('a wrong PIN stops with one line naming the cause', async () => {
    const run = await unsealer(['unsealer', 'unseal', '--once', '--mode=hsm', `--hsm-module-path=${token.lib}`, `--hsm-token-label=${token.label}`, '--hsm-pin=99999999'],
      { HOME: tmpdir(), VAULT_ADDR: server!.url, SOFTHSM2_CONF: token.conf });
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /CKR_PIN_INCORRECT/);
    assert.ok(!run.output.includes('99999999'));
  });

  test('--auto with an auto-sealed node stores recovery keys and no unseal keys', async () => {
    const sealToken = createSoftHsmToken({ label: 'seal', setEnv: false });
    const dir = mkdtempSync(join(tmpdir(), 'arca-unsealer-auto-'));
    const keys = join(dir, 'keys');
    const node = await spawnServer(sqliteConfig(dir, { seal: { pkcs11: sealToken.sealOptions() } }), dir, sealToken.env);
    try {
      assert.equal((await sealStatus(node.url)).recovery_seal, true);
      const run = await unsealer(['unsealer', 'unseal', '--init', '--auto', '--once', '--mode=file', `--file-path=${keys}`], { HOME: dir, VAULT_ADDR: node.url });
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /auto seal "pkcs11": 5 recovery key shares, threshold 3/);
      const stored = storeContents(keys);
      assert.deepEqual(Object.keys(stored), ['vault-recovery-0', 'vault-recovery-1', 'vault-recovery-2', 'vault-recovery-3', 'vault-recovery-4', 'vault-root']);
      await waitForStatus(node.url, (s) => s.initialized && !s.sealed);
      assertNoSecrets(run.output, Object.values(stored));

      const plain = await unsealer(['unsealer', 'unseal', '--once', '--mode=file', `--file-path=${keys}`], { HOME: dir, VAULT_ADDR: node.url });
      assert.equal(plain.code, 0, 'an unsealed auto-seal node needs nothing');
    } finally {
      await node.stop();
      sealToken.remove();
    }
  });
});
