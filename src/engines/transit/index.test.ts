import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rotateDueKeys, transitBackend } from './index.js';
import { createKey } from './keyring.js';
import { createKeyStore } from './store.js';
import type { TransitDeps } from './deps.js';

function memoryStorage() {
  const map = new Map<string, Buffer>();
  return {
    map,
    get: async (k: string) => map.get(k),
    put: async (k: string, v: Buffer) => { map.set(k, v); },
    delete: async (k: string) => { map.delete(k); },
    list: async (prefix: string) => [...map.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
  };
}

test('auto_rotate_period: due keys rotate once, others stay; keys live under the seal-wrapped prefix', async () => {
  const storage = memoryStorage();
  let now = new Date('2030-01-01T00:00:00Z');
  const deps: TransitDeps = {
    store: createKeyStore(storage), random: async (n) => randomBytes(n), platformRandom: async (n) => randomBytes(n), now: () => now,
  };
  for (const [name, period] of [['hourly', 3600], ['never', 0]] as const) {
    await deps.store.update(name, async () => {
      const key = await createKey({ name, type: 'aes256-gcm96', autoRotatePeriod: period }, deps.random, now);
      return { key, result: undefined };
    });
  }
  assert.deepEqual([...storage.map.keys()].sort(), ['policy/hourly', 'policy/never']);
  assert.deepEqual(transitBackend(deps).sealWrapStorage, ['policy/*']);
  now = new Date('2030-01-01T00:59:59Z');
  assert.deepEqual(await rotateDueKeys(deps), []);
  now = new Date('2030-01-01T01:00:00Z');
  assert.deepEqual(await rotateDueKeys(deps), ['hourly']);
  assert.deepEqual(await rotateDueKeys(deps), []);
  assert.equal((await deps.store.get('hourly'))!.latestVersion, 2);
  assert.equal((await deps.store.get('never'))!.latestVersion, 1);
});
