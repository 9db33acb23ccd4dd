/**
 * Input checks shared by every storage implementation, so all of them reject the same things
 * with the same error. Messages never repeat the submitted key or value.
 */
import { InvalidRequest } from '../errors.js';
import type { TxOperation } from './types.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the string has no lone surrogate (String.prototype.isWellFormed, which ES2022 lacks). */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** A key is a non-empty, well-formed Unicode string (no lone surrogates: they cannot be stored as UTF-8). */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new InvalidRequest('storage key must be a string');
  if (key === '') throw new InvalidRequest('storage key must not be empty');
  if (!isWellFormed(key)) throw new InvalidRequest('storage key must be well-formed Unicode');
}

/** A list prefix may be empty (the root) but must otherwise be a well-formed string. */
export function checkPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') throw new InvalidRequest('storage list prefix must be a string');
  if (!isWellFormed(prefix)) throw new InvalidRequest('storage list prefix must be well-formed Unicode');
}

/** Values are bytes: a Buffer or any Uint8Array. */
export function checkValue(value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidRequest('storage value must be a Buffer');
}

/** Validates every operation up front so a transaction with one bad operation applies none. */
export function checkOperations(ops: unknown): asserts ops is readonly TxOperation[] {
  if (!Array.isArray(ops)) throw new InvalidRequest('storage transaction must be a list of operations');
  for (const op of ops as unknown[]) {
    if (typeof op !== 'object' || op === null) throw new InvalidRequest('storage transaction operation must be an object');
    const { op: kind, key, value } = op as { op?: unknown; key?: unknown; value?: unknown };
    if (kind === 'put') {
      checkKey(key);
      checkValue(value);
    } else if (kind === 'delete') {
      checkKey(key);
    } else {
      throw new InvalidRequest('storage transaction operation must be "put" or "delete"');
    }
  }
}

/** A private copy of caller bytes, so later mutation by the caller cannot reach storage. */
export function copyBytes(value: Uint8Array): Buffer {
  return Buffer.from(value);
}
