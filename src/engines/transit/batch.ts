/**
 * Batch requests (`batch_input`): each item runs on its own; an item that fails carries its
 * error message in its result instead of failing the request. Like Vault, a batch with any
 * failed item answers 400 (its results still in the body) unless some item succeeded and the
 * caller chose `partial_failure_response_code`.
 */
import { InvalidRequest, isArcaError } from '../../errors.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { decodeBase64 } from './ciphertext.js';

export type Item = Record<string, unknown>;

export function batchItems(raw: unknown): Item[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  let value = raw;
  if (typeof value === 'string') {
    try { value = JSON.parse(value); } catch { throw new InvalidRequest('batch_input must be a list of objects'); }
  }
  if (!Array.isArray(value) || !value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
    throw new InvalidRequest('batch_input must be a list of objects');
  }
  if (value.length === 0) throw new InvalidRequest('missing batch input to process');
  return value as Item[];
}

export async function runBatch(
  items: Item[],
  work: (item: Item) => Promise<Record<string, unknown>>,
  partialFailureCode?: number,
): Promise<LogicalResponse> {
  const results: Record<string, unknown>[] = [];
  let failures = 0;
  for (const item of items) {
    const reference = item.reference === undefined ? {} : { reference: item.reference };
    try {
      results.push({ ...(await work(item)), ...reference });
    } catch (err) {
      if (!isArcaError(err) || err.status >= 500) throw err;
      failures++;
      results.push({ error: err.message, ...reference });
    }
  }
  const response: LogicalResponse = { data: { batch_results: results } };
  if (failures > 0) {
    const partial = failures < items.length && partialFailureCode !== undefined && partialFailureCode >= 1 && partialFailureCode <= 599;
    response.statusCode = partial ? partialFailureCode : 400;
  }
  return response;
}

export function itemString(item: Item, name: string): string | undefined {
  const v = item[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new InvalidRequest(`${name} must be a string`);
}

export function itemInt(item: Item, name: string): number | undefined {
  const v = item[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new InvalidRequest(`${name} must be an integer`);
  return n;
}

/** Optional base64 field (context, nonce, associated_data). */
export function itemBytes(item: Item, name: string): Buffer | undefined {
  const v = itemString(item, name);
  return v === undefined || v === '' ? undefined : decodeBase64(v, name);
}
