/**
 * Which Arca versions have run against this storage, and when each first became active: one
 * versioned JSON entry per version under `core/versions/<version>` in the barrier (Vault keeps
 * the same record at the same place). Written when a node becomes active; read by
 * LIST sys/version-history.
 */
import { IntegrityError } from '../errors.js';

export const VERSION_ENTRY_VERSION = 1;
export const VERSION_HISTORY_PREFIX = 'core/versions/';

export interface VersionEntry {
  v: number;
  version: string;
  /** RFC 3339, UTC. */
  timestampInstalled: string;
  buildDate: string;
}

interface Store {
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, value: Buffer): Promise<void>;
  list(prefix: string): Promise<string[]>;
}

function decode(raw: Buffer): VersionEntry {
  let parsed: Partial<VersionEntry>;
  try {
    parsed = JSON.parse(raw.toString('utf8')) as Partial<VersionEntry>;
  } catch {
    throw new IntegrityError('version history entry is not valid JSON');
  }
  if (parsed?.v !== VERSION_ENTRY_VERSION || typeof parsed.version !== 'string' || typeof parsed.timestampInstalled !== 'string') {
    throw new IntegrityError('unsupported version history entry');
  }
  return parsed as VersionEntry;
}

/** Records `version` the first time it runs; later runs leave the original timestamp. */
export async function recordVersion(store: Store, version: string, buildDate: string, now = new Date()): Promise<void> {
  const key = VERSION_HISTORY_PREFIX + version;
  if (await store.get(key)) return;
  const entry: VersionEntry = { v: VERSION_ENTRY_VERSION, version, timestampInstalled: now.toISOString(), buildDate };
  await store.put(key, Buffer.from(JSON.stringify(entry)));
}

/** Every recorded version, oldest installation first. */
export async function readVersionHistory(store: Store): Promise<VersionEntry[]> {
  const names = await store.list(VERSION_HISTORY_PREFIX);
  const entries: VersionEntry[] = [];
  for (const name of names) {
    const raw = await store.get(VERSION_HISTORY_PREFIX + name);
    if (raw) entries.push(decode(raw));
  }
  return entries.sort((a, b) => Date.parse(a.timestampInstalled) - Date.parse(b.timestampInstalled));
}
