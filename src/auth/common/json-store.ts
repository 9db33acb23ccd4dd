/** JSON entries in a mount's barrier storage view. */
import type { BarrierStorage } from '../../barrier/types.js';

export async function getJson<T>(storage: Pick<BarrierStorage, 'get'>, key: string): Promise<T | undefined> {
  const raw = await storage.get(key);
  return raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as T);
}

export async function putJson(storage: Pick<BarrierStorage, 'put'>, key: string, value: unknown): Promise<void> {
  await storage.put(key, Buffer.from(JSON.stringify(value), 'utf8'));
}
