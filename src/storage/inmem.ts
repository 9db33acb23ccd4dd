/**
 * In-memory storage for `server -dev` and tests. Values are copied in and out, so no caller can
 * change stored bytes by mutating a Buffer. Listing goes through a per-folder index.
 */
import { StorageError } from '../errors.js';
import { createFolderIndex } from './folder-index.js';
import type { Storage, Transactional, TxOperation } from './types.js';
import { checkKey, checkOperations, checkPrefix, checkValue, copyBytes } from './validate.js';

export function createInmemStorage(): Storage & Transactional {
  const values = new Map<string, Buffer>();
  const index = createFolderIndex();
  let closed = false;

  function open(): void {
    if (closed) throw new StorageError('storage is closed');
  }

  function put(key: string, value: Buffer): void {
    if (!values.has(key)) index.add(key);
    values.set(key, value);
  }

  function remove(key: string): void {
    if (values.delete(key)) index.remove(key);
  }

  return {
    async get(key) {
      open();
      checkKey(key);
      const value = values.get(key);
      return value === undefined ? undefined : copyBytes(value);
    },
    async put(key, value) {
      open();
      checkKey(key);
      checkValue(value);
      put(key, copyBytes(value));
    },
    async delete(key) {
      open();
      checkKey(key);
      remove(key);
    },
    async list(prefix) {
      open();
      checkPrefix(prefix);
      return index.list(prefix);
    },
    async transaction(ops: readonly TxOperation[]) {
      open();
      checkOperations(ops);
      // Everything is validated and copied before the first change, so nothing can fail halfway.
      const copied = ops.map((o) => (o.op === 'put' ? { ...o, value: copyBytes(o.value) } : o));
      for (const o of copied) {
        if (o.op === 'put') put(o.key, o.value);
        else remove(o.key);
      }
    },
    async close() {
      closed = true;
      values.clear();
    },
  } satisfies Storage & Transactional;
}
