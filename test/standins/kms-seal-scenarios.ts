/**
 * The auto-unseal scenarios every cloud KMS seal must pass, run against a real in-process
 * durable (sqlite) server whose seal stanza points the official SDK at a stand-in. Each cloud's
 * test supplies a `KmsScenarioTarget` (stanza options + the stand-in's failure switches) and
 * calls `exerciseKmsSealScenarios`. The server's log lines are captured so a failure can be
 * asserted as the exact one-line error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDevConfig } from '../../src/config/index.js';
import type { SealStanza, ServerConfig } from '../../src/config/types.js';
import { startServer } from '../../src/server/run.js';
import { createLogger } from '../../src/util/log.js';
import type { Seal } from '../../src/seal/types.js';
import { apiClient, type Api } from '../support/api.js';

export interface KmsScenarioTarget {
  type: 'awskms' | 'gcpckms' | 'azurekeyvault';
  /** Stanza options for a fresh key on the stand-in. */
  newKey(): Promise<Record<string, string>> | Record<string, string>;
  /** Rotates the key named by `options` (new primary / current version). */
  rotate(options: Record<string, string>): Promise<void> | void;
  setEnabled(options: Record<string, string>, enabled: boolean): Promise<void> | void;
  failNext(kind: 'throttle' | 'deny', count?: number): void;
  clearFailures(): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** The one line each failure must produce (matched against the seal's message). */
  messages: { throttled: RegExp; denied: RegExp; disabled: RegExp; network: RegExp };
}

export interface Node {
  api: Api;
  logs: string[];
  close(): Promise<void>;
}

export async function startNode(dataDir: string, seals: SealStanza[]): Promise<Node> {
  const logs: string[] = [];
  const config: ServerConfig = { ...defaultDevConfig('127.0.0.1:0'), storage: { type: 'sqlite', options: { path: join(dataDir, 'arca.db') } }, seals };
  const server = await startServer(config, { logger: createLogger({ level: 'error', write: (line) => logs.push(line) }) });
  return { api: apiClient(server.addresses[0]), logs, close: () => server.close() };
}

async function status(api: Api): Promise<any> {
  return (await api.call('GET', 'sys/seal-status')).json;
}

export async function until<T>(check: () => Promise<T | undefined> | T | undefined, what: string, limitMs = 20_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`condition not reached: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const unsealed = (api: Api) => until(async () => ((await status(api)).sealed === false ? true : undefined), 'unsealed');

async function writeData(api: Api): Promise<void> {
  assert.equal((await api.call('POST', 'sys/mounts/kv', { type: 'kv' })).status, 204);
  assert.equal((await api.call('PUT', 'kv/a', { value: 'alpha' })).status, 204);
}

async function readData(api: Api, root: string): Promise<void> {
  const r = await api.call('GET', 'kv/a', undefined, { 'X-Vault-Token': root });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.data.value, 'alpha');
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'arca-kms-'));

/** Initialises a node on the seal, writes data, closes it. Returns the root token. */
async function initNode(dataDir: string, stanza: SealStanza): Promise<string> {
  const node = await startNode(dataDir, [stanza]);
  try {
    const init = await node.api.call('PUT', 'sys/init', { recovery_shares: 1, recovery_threshold: 1 });
    assert.equal(init.status, 200, init.text);
    assert.equal(init.json.keys.length, 0);
    assert.equal(init.json.recovery_keys.length, 1);
    await unsealed(node.api);
    node.api.token = init.json.root_token;
    await writeData(node.api);
    return init.json.root_token;
  } finally {
    await node.close();
  }
}

/** The seal's error line, as logged by the auto-unseal loop or the seal's init. */
async function sealError(node: Node, type: string, pattern: RegExp): Promise<string> {
  const messageOf = (line: string) => line.slice(line.indexOf(`${type} seal:`));
  const line = await until(() => node.logs.find((l) => l.includes(`${type} seal:`) && pattern.test(messageOf(l))), `log line ${pattern}`)
    .catch((err: Error) => { throw new Error(`${err.message}; logs:\n${node.logs.join('\n')}`); });
  const message = messageOf(line);
  assert.equal(message.includes('\n'), false);
  return message;
}

export function exerciseKmsSealScenarios(target: KmsScenarioTarget): void {
  const stanza = (options: Record<string, string>): SealStanza => ({ type: target.type, disabled: false, options });

  test(`${target.type}: init, auto-unseal, restart unseals by itself`, async () => {
    const options = await target.newKey();
    const dir = tempDir();
    const root = await initNode(dir, stanza(options));
    const node = await startNode(dir, [stanza(options)]);
    try {
      await unsealed(node.api);
      const s = await status(node.api);
      assert.equal(s.type, target.type);
      assert.equal(s.recovery_seal, true);
      await readData(node.api, root);
    } finally {
      await node.close();
    }
  });

  test(`${target.type}: a rotated cloud key still decrypts the blobs made before the rotation`, async () => {
    const options = await target.newKey();
    const dir = tempDir();
    const root = await initNode(dir, stanza(options));
    await target.rotate(options);
    for (let i = 0; i < 2; i++) {
      const node = await startNode(dir, [stanza(options)]);
      try {
        await unsealed(node.api);
        await readData(node.api, root);
      } finally {
        await node.close();
      }
    }
  });

  test(`${target.type}: a few throttled calls are retried and the node still unseals`, async () => {
    const options = await target.newKey();
    const dir = tempDir();
    const root = await initNode(dir, stanza(options));
    target.failNext('throttle', 2);
    const node = await startNode(dir, [stanza(options)]);
    try {
      await unsealed(node.api);
      await readData(node.api, root);
      assert.deepEqual(node.logs.filter((l) => l.includes(`${target.type} seal:`)), []);
    } finally {
      target.clearFailures();
      await node.close();
    }
  });

  const failures: Array<[string, () => Promise<void> | void, () => Promise<void> | void, RegExp]> = [];
  let current: Record<string, string> = {};
  failures.push(['throttled on every call', () => target.failNext('throttle'), () => target.clearFailures(), target.messages.throttled]);
  failures.push(['access denied', () => target.failNext('deny'), () => target.clearFailures(), target.messages.denied]);
  failures.push(['key disabled', () => target.setEnabled(current, false), () => target.setEnabled(current, true), target.messages.disabled]);
  failures.push(['network down', () => target.stop(), () => target.start(), target.messages.network]);
  for (const [name, fail, heal, pattern] of failures) {
    test(`${target.type}: ${name} → stays sealed with one clear line, unseals once the cloud is back`, async () => {
      current = await target.newKey();
      const dir = tempDir();
      const root = await initNode(dir, stanza(current));
      await fail();
      let node: Node | undefined;
      try {
        node = await startNode(dir, [stanza(current)]);
        const message = await sealError(node, target.type, pattern);
        assert.match(message, pattern);
        assert.equal((await status(node.api)).sealed, true);
      } finally {
        await heal();
      }
      try {
        await until(async () => ((await status(node!.api)).sealed === false ? true : undefined), 'unsealed after heal', 30_000);
        await readData(node.api, root);
      } finally {
        await node.close();
      }
    });
  }

  test(`${target.type}: migration from Shamir; the unseal keys become recovery keys`, async () => {
    const options = await target.newKey();
    const dir = tempDir();
    let node = await startNode(dir, []);
    let keys: string[];
    let root: string;
    try {
      const init = (await node.api.call('PUT', 'sys/init', { secret_shares: 3, secret_threshold: 2 })).json;
      keys = init.keys;
      root = init.root_token;
      for (const key of keys.slice(0, 2)) assert.equal((await node.api.call('PUT', 'sys/unseal', { key })).status, 200);
      node.api.token = root;
      await writeData(node.api);
    } finally {
      await node.close();
    }
    node = await startNode(dir, [stanza(options)]);
    try {
      const s = await status(node.api);
      assert.equal(s.sealed, true);
      assert.equal(s.migration, true);
      assert.equal(s.type, target.type);
      let last: any;
      for (const key of keys.slice(1, 3)) {
        const r = await node.api.call('PUT', 'sys/unseal', { key, migrate: true });
        assert.equal(r.status, 200, r.text);
        last = r.json;
      }
      assert.equal(last.sealed, false);
      assert.equal(last.recovery_seal, true);
      await readData(node.api, root);
    } finally {
      await node.close();
    }
    node = await startNode(dir, [stanza(options)]);
    try {
      await unsealed(node.api);
      assert.equal((await status(node.api)).migration, false);
      await readData(node.api, root);
    } finally {
      await node.close();
    }
  });
}

/**
 * The opt-in test against the real cloud service: one encrypt/decrypt round trip through the
 * seal. `skip` is the one line printed (also under CI) when the credentials are not set.
 */
export function liveSealRoundTrip(title: string, skip: string | false, open: () => Seal): void {
  if (skip) console.log(skip);
  test(title, { skip }, async () => {
    const seal = open();
    try {
      await seal.init();
      const blob = await seal.wrapper().encrypt(Buffer.from('live'));
      assert.deepEqual(Buffer.from(await seal.wrapper().decrypt(blob)), Buffer.from('live'));
    } finally {
      await seal.close();
    }
  });
}
