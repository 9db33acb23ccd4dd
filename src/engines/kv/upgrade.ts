/**
 * KV v1 → v2 in place: every v1 key becomes version 1 of a versioned key, then the v1 entry
 * goes. Idempotent and resumable: a key that already has metadata is only removed from the v1
 * area, and the marker is written last, so an interrupted run simply runs again.
 */
import type { BarrierStorage } from '../../barrier/types.js';
import { decodePlainEntry } from './v1.js';
import type { VersionedStore } from './store.js';
import { KV_ENTRY_VERSION, addVersion, newKeyMetadata, rfc3339Nano } from './versions.js';

async function* v1Keys(storage: BarrierStorage, skipFolder: string, prefix = ''): AsyncGenerator<string> {
  for (const name of await storage.list(prefix)) {
    if (prefix === '' && name === skipFolder) continue;
    if (name.endsWith('/')) yield* v1Keys(storage, skipFolder, prefix + name);
    else yield prefix + name;
  }
}

/** Converts a v1 layout unless the marker says it is done. Returns how many keys moved. */
export async function upgradeToVersioned(storage: BarrierStorage, store: VersionedStore, now: () => Date): Promise<number> {
  if (await store.upgradeMarker()) return 0;
  const config = await store.config();
  let converted = 0;
  for await (const key of v1Keys(storage, store.root)) {
    const raw = await storage.get(key);
    if (raw && !(await store.metadata(key))) {
      const meta = newKeyMetadata(key, now());
      const { version } = addVersion(meta, config, now());
      await store.putVersionData(key, version, decodePlainEntry(raw));
      await store.putMetadata(meta);
      converted++;
    }
    await storage.delete(key);
  }
  await store.putUpgradeMarker({ v: KV_ENTRY_VERSION, upgradedAt: rfc3339Nano(now()), converted });
  return converted;
}
