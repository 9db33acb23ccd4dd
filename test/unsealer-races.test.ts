/**
 * The unsealer's init and unseal pass against real (in-process) servers where others act too:
 * two unsealers sharing one store initialise the same node at once (one initialises, the other
 * stands down, the store holds one set of keys); shares from another node's store are rejected
 * with a message saying so, and the node stays sealed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../src/cli/client.js';
import { createLogger } from '../src/util/log.js';
import type { UnsealerContext } from '../src/unsealer/context.js';
import { openFileStore } from '../src/unsealer/file-store.js';
import { initialize } from '../src/unsealer/init.js';
import type { KeyStore } from '../src/unsealer/key-store.js';
import type { UnsealerOptions } from '../src/unsealer/options.js';
import { unsealPass, UnsealFailed } from '../src/unsealer/unseal.js';
import { startDurableServer } from './support/server.js';
import { storeContents } from './support/unsealer.js';

const OPTIONS: UnsealerOptions = {
  mode: 'file', secretShares: 5, secretThreshold: 3, once: true, storeRootToken: true, preFlightChecks: true,
  unsealPeriodMs: 100, init: true, auto: false,
};

function context(url: string, store: KeyStore, lines: string[]): UnsealerContext {
  return {
    client: createClient({ address: url }),
    clientWithToken: (token) => createClient({ address: url, token }),
    store,
    log: createLogger({ level: 'debug', write: (line) => { lines.push(line); } }),
    options: { ...OPTIONS, file: { path: 'unused' } },
    signal: new AbortController().signal,
  };
}

test('two unsealers initialising one node at once: one initialises, the other stands down', async () => {
  const node = await startDurableServer();
  const keys = join(mkdtempSync(join(tmpdir(), 'arca-unsealer-race-')), 'keys');
  try {
    const url = node.server.addresses[0];
    const lines: string[] = [];
    const [a, b] = [context(url, await openFileStore(keys, () => {}), lines), context(url, await openFileStore(keys, () => {}), lines)];
    const outcomes = await Promise.all([initialize(a), initialize(b)]);
    assert.deepEqual([...outcomes].sort(), ['already-initialized', 'initialized'], lines.join('\n'));
    assert.deepEqual(Object.keys(storeContents(keys)), ['vault-root', 'vault-unseal-0', 'vault-unseal-1', 'vault-unseal-2', 'vault-unseal-3', 'vault-unseal-4']);
    assert.equal((await node.api.call('GET', 'sys/seal-status')).json.initialized, true);
  } finally {
    await node.close();
  }
});

test("another node's shares are rejected with a clear message and the node stays sealed", async () => {
  const a = await startDurableServer();
  const b = await startDurableServer();
  try {
    const lines: string[] = [];
    const storeA = await openFileStore(join(mkdtempSync(join(tmpdir(), 'arca-unsealer-a-')), 'keys'), () => {});
    const storeB = await openFileStore(join(mkdtempSync(join(tmpdir(), 'arca-unsealer-b-')), 'keys'), () => {});
    assert.equal(await initialize(context(a.server.addresses[0], storeA, lines)), 'initialized');
    assert.equal(await initialize(context(b.server.addresses[0], storeB, lines)), 'initialized');
    await assert.rejects(unsealPass(context(b.server.addresses[0], storeA, lines)),
      (err: unknown) => err instanceof UnsealFailed && /do not belong to this server \(wrong key store\?\)/.test(err.message));
    const status = (await b.api.call('GET', 'sys/seal-status')).json;
    assert.equal(status.sealed, true);
    assert.equal(status.progress, 0);
    assert.equal(await unsealPass(context(b.server.addresses[0], storeB, lines)), 'unsealed');
  } finally {
    await a.close();
    await b.close();
  }
});
