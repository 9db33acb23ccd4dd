import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntegrityError } from '../errors.js';
import { VERSION_HISTORY_PREFIX, readVersionHistory, recordVersion } from './version-history.js';

function memoryStore() {
  const map = new Map<string, Buffer>();
  return {
    map,
    get: async (k: string) => map.get(k),
    put: async (k: string, v: Buffer) => { map.set(k, v); },
    list: async (p: string) => [...map.keys()].filter((k) => k.startsWith(p)).map((k) => k.slice(p.length)),
  };
}

test('each version is recorded once, with its first activation time, and read back in installation order', async () => {
  const store = memoryStore();
  await recordVersion(store, '1.19.0', '2026-11-01T00:00:00Z', new Date('2026-11-02T10:00:00Z'));
  await recordVersion(store, '1.19.0', '2026-11-01T00:00:00Z', new Date('2026-11-03T10:00:00Z'));
  await recordVersion(store, '1.2.0', '2026-11-20T00:00:00Z', new Date('2026-11-21T10:00:00Z'));
  assert.equal(store.map.size, 2);
  const history = await readVersionHistory(store);
  assert.deepEqual(history.map((e) => [e.version, e.timestampInstalled]), [
    ['1.19.0', '2026-11-02T10:00:00.000Z'],
    ['1.2.0', '2026-11-21T10:00:00.000Z'],
  ]);
});

test('a corrupt or unknown entry is an IntegrityError', async () => {
  const store = memoryStore();
  store.map.set(`${VERSION_HISTORY_PREFIX}9.9.9`, Buffer.from('{'));
  await assert.rejects(readVersionHistory(store), IntegrityError);
  store.map.set(`${VERSION_HISTORY_PREFIX}9.9.9`, Buffer.from('{"v":2,"version":"9.9.9","timestampInstalled":"x"}'));
  await assert.rejects(readVersionHistory(store), IntegrityError);
});
