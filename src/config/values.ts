/**
 * Vault-lenient scalar coercion for config values: booleans as true/"true"/"1"/"t",
 * durations as seconds or Go duration strings. Errors name the key and file, never the value.
 */
import { InvalidRequest } from '../errors.js';
import { parseDurationSeconds } from '../util/duration.js';

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** Go's strconv.ParseBool, plus real booleans. */
export function toBool(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  if (typeof value === 'string') {
    const text = value.trim();
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
  }
  throw new InvalidRequest(`${where}: expected a boolean`);
}

export function toDurationSeconds(value: unknown, where: string): number {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) throw new InvalidRequest(`${where}: expected a duration such as "768h" or seconds`);
  return seconds;
}

export function toStr(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    // Numbers past 2^53 were already rounded by the parser (HSM slot ids are): demand a string.
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw new InvalidRequest(`${where}: write integers this large as a quoted string`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  throw new InvalidRequest(`${where}: expected a string`);
}

/** Byte counts: integers or integer strings. */
export function toInt(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  throw new InvalidRequest(`${where}: expected an integer`);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
