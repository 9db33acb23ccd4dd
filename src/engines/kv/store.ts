/**
 * KV v2 storage layout inside the mount's barrier view. Every entry is JSON with a `v` field
 * (KV_ENTRY_VERSION = 1); readers refuse versions they do not know.
 *
 *   <root>config                     KvConfig                 mount-wide settings
 *   <root>upgrade                    UpgradeMarker            v1→v2 conversion finished
 *   <root>metadata/<key>             KeyMetadata              one per secret (listing = key tree)
 *   <root>versions/<sha256(key)>/<n> VersionEntry             one per stored version
 *
 * `<root>` is `<mount uuid>/`, as in Vault: a v1 mount keeps its keys at the top of the same
 * view, and the upgrade moves every one of them under the root, so no v1 key can collide
 * with versioned data.
 */
import { createHash } from 'node:crypto';
import type { BarrierStorage } from '../../barrier/types.js';
import { StorageError } from '../../errors.js';
import { makeRoom } from '../../util/evict.js';
import { KV_ENTRY_VERSION, defaultConfig, type KeyMetadata, type KvConfig } from './versions.js';

export interface VersionEntry {
  v: typeof KV_ENTRY_VERSION;
  data: Record<string, unknown>;
}

export interface UpgradeMarker {
  v: typeof KV_ENTRY_VERSION;
  /** RFC3339Nano time the conversion finished. */
  upgradedAt: string;
  /** Number of v1 keys converted to version 1. */
  converted: number;
}

export function encodeEntry(value: object): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodeEntry<T extends { v: number }>(raw: Buffer, what: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new StorageError(`kv: ${what} entry is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || (parsed as { v?: unknown }).v !== KV_ENTRY_VERSION) {
    throw new StorageError(`kv: ${what} entry has an unsupported format version`);
  }
  return parsed as T;
}

/** Recently used keys' hashes (paths, not secrets): a hot key is not re-hashed on every read. */
const KEY_HASHES_KEPT = 4096;
const keyHashes = new Map<string, string>();

function keyHash(key: string): string {
  let hash = keyHashes.get(key);
  if (hash === undefined) {
    hash = createHash('sha256').update(key, 'utf8').digest('hex');
    makeRoom(keyHashes, KEY_HASHES_KEPT);
    keyHashes.set(key, hash);
  }
  return hash;
}

export function createVersionedStore(storage: BarrierStorage, root: string) {
  const versionFolder = (key: string): string => `${root}versions/${keyHash(key)}/`;
  const metadataKey = (key: string): string => `${root}metadata/${key}`;

  return {
    root,

    async config(): Promise<KvConfig> {
      const raw = await storage.get(`${root}config`);
      return raw ? decodeEntry<KvConfig>(raw, 'config') : defaultConfig();
    },
    async putConfig(config: KvConfig): Promise<void> {
      await storage.put(`${root}config`, encodeEntry(config));
    },

    async metadata(key: string): Promise<KeyMetadata | undefined> {
      const raw = await storage.get(metadataKey(key));
      return raw ? decodeEntry<KeyMetadata>(raw, 'metadata') : undefined;
    },
    async putMetadata(meta: KeyMetadata): Promise<void> {
      await storage.put(metadataKey(meta.key), encodeEntry(meta));
    },
    async deleteMetadata(key: string): Promise<void> {
      await storage.delete(metadataKey(key));
    },
    /** Immediate children of a metadata folder (`""` = the root); folders end with `/`. */
    async listMetadata(prefix: string): Promise<string[]> {
      return storage.list(`${root}metadata/${prefix}`);
    },

    async versionData(key: string, version: number): Promise<Record<string, unknown> | undefined> {
      const raw = await storage.get(versionFolder(key) + String(version));
      return raw ? decodeEntry<VersionEntry>(raw, 'version').data : undefined;
    },
    async putVersionData(key: string, version: number, data: Record<string, unknown>): Promise<void> {
      const entry: VersionEntry = { v: KV_ENTRY_VERSION, data };
      await storage.put(versionFolder(key) + String(version), encodeEntry(entry));
    },
    async deleteVersionData(key: string, version: number): Promise<void> {
      await storage.delete(versionFolder(key) + String(version));
    },
    /** Removes every stored version of a key, including ones the metadata no longer lists. */
    async deleteAllVersionData(key: string): Promise<void> {
      const folder = versionFolder(key);
      for (const name of await storage.list(folder)) {
        if (!name.endsWith('/')) await storage.delete(folder + name);
      }
    },

    async upgradeMarker(): Promise<UpgradeMarker | undefined> {
      const raw = await storage.get(`${root}upgrade`);
      return raw ? decodeEntry<UpgradeMarker>(raw, 'upgrade marker') : undefined;
    },
    async putUpgradeMarker(marker: UpgradeMarker): Promise<void> {
      await storage.put(`${root}upgrade`, encodeEntry(marker));
    },
  };
}

export type VersionedStore = ReturnType<typeof createVersionedStore>;

/** What every v2 path group needs. */
export interface KvV2Deps {
  store: VersionedStore;
  locks: { run<T>(key: string, work: () => Promise<T>): Promise<T> };
  now: () => Date;
}
