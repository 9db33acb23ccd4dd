/**
 * Where a wrapping token keeps what it wraps: its own cubbyhole, as in Vault. The cubbyhole
 * mount's storage holds each token's entries under `<hashedId>/`; an entry is the JSON of its
 * data map (as a KV-v1-style cubbyhole write would store it). Two entries per wrapping token:
 *   response  {"response": "<the original envelope, serialized>"}
 *   wrapinfo  {"creation_ttl": <seconds>, "creation_time": "<RFC3339Nano>", "creation_path": "<path>"}
 */
import type { BarrierStorage } from '../../barrier/types.js';

export const RESPONSE_ENTRY = 'response';
export const WRAPINFO_ENTRY = 'wrapinfo';

export interface WrapInfoRecord {
  creation_ttl: number;
  creation_time: string;
  creation_path: string;
}

/** The storage prefix of a token's cubbyhole inside the cubbyhole mount. */
export function tokenCubbyholePrefix(hashedId: string): string {
  return `${hashedId}/`;
}

async function readMap(storage: BarrierStorage, key: string): Promise<Record<string, unknown> | undefined> {
  const raw = await storage.get(key);
  if (!raw) return undefined;
  const parsed: unknown = JSON.parse(raw.toString('utf8'));
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

/** `storage` is resolved per call: the cubbyhole mount is rebuilt at every unseal. */
export function createWrappingCubbyhole(storage: () => BarrierStorage) {
  const key = (hashedId: string, entry: string) => `${tokenCubbyholePrefix(hashedId)}${entry}`;

  return {
    async store(hashedId: string, serializedResponse: string, info: WrapInfoRecord): Promise<void> {
      const s = storage();
      await s.put(key(hashedId, RESPONSE_ENTRY), Buffer.from(JSON.stringify({ response: serializedResponse })));
      await s.put(key(hashedId, WRAPINFO_ENTRY), Buffer.from(JSON.stringify(info)));
    },

    async readResponse(hashedId: string): Promise<string | undefined> {
      const data = await readMap(storage(), key(hashedId, RESPONSE_ENTRY));
      return typeof data?.response === 'string' ? data.response : undefined;
    },

    async readInfo(hashedId: string): Promise<WrapInfoRecord | undefined> {
      const data = await readMap(storage(), key(hashedId, WRAPINFO_ENTRY));
      if (!data || typeof data.creation_ttl !== 'number' || typeof data.creation_time !== 'string'
        || typeof data.creation_path !== 'string') return undefined;
      return { creation_ttl: data.creation_ttl, creation_time: data.creation_time, creation_path: data.creation_path };
    },

    /** Removes both entries (the token's revocation also clears its cubbyhole). */
    async discard(hashedId: string): Promise<void> {
      const s = storage();
      await s.delete(key(hashedId, RESPONSE_ENTRY));
      await s.delete(key(hashedId, WRAPINFO_ENTRY));
    },
  };
}

export type WrappingCubbyhole = ReturnType<typeof createWrappingCubbyhole>;
