/**
 * Typed request fields with Vault's leniency: ints from strings, durations as "1h" or 3600,
 * string lists as "a,b" or ["a","b"], booleans as "true"/"1"/true.
 */
import { InvalidRequest } from '../errors.js';
import { parseDurationSeconds } from '../util/duration.js';

export type FieldType =
  | 'string' | 'int' | 'bool' | 'duration' | 'stringList' | 'commaStringList'
  | 'map' | 'keyPairs' | 'any';

export interface FieldSpec {
  type: FieldType;
  description?: string;
  default?: unknown;
  required?: boolean;
  /** Allowed values for strings. */
  oneOf?: readonly string[];
}

export type Fields = Record<string, FieldSpec>;

type ValueOf<T extends FieldType> =
  T extends 'string' ? string :
  T extends 'int' | 'duration' ? number :
  T extends 'bool' ? boolean :
  T extends 'stringList' | 'commaStringList' ? string[] :
  T extends 'map' ? Record<string, unknown> :
  T extends 'keyPairs' ? Record<string, string> :
  unknown;

/** The handler's view of its fields: present when a default exists or the field is required. */
export type FieldData<F extends Fields> = {
  [K in keyof F]: F[K] extends { default: unknown } | { required: true }
    ? ValueOf<F[K]['type']>
    : ValueOf<F[K]['type']> | undefined;
};

function fail(name: string, what: string): never {
  throw new InvalidRequest(`error converting input for field "${name}": ${what}`);
}

export function coerceField(name: string, spec: FieldSpec, raw: unknown): unknown {
  switch (spec.type) {
    case 'string': {
      if (typeof raw === 'string') {
        if (spec.oneOf && !spec.oneOf.includes(raw)) fail(name, `must be one of ${spec.oneOf.join(', ')}`);
        return raw;
      }
      if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
      return fail(name, 'expected a string');
    }
    case 'int': {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof n === 'number' && Number.isInteger(n)) return n;
      return fail(name, 'expected an integer');
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string') {
        const v = raw.toLowerCase();
        if (['1', 't', 'true'].includes(v)) return true;
        if (['0', 'f', 'false', ''].includes(v)) return false;
      }
      if (raw === 1 || raw === 0) return raw === 1;
      return fail(name, 'expected a boolean');
    }
    case 'duration': {
      const seconds = parseDurationSeconds(raw);
      if (seconds === undefined) return fail(name, 'expected a duration such as "90s", "1h" or a number of seconds');
      return seconds;
    }
    case 'stringList':
    case 'commaStringList': {
      if (Array.isArray(raw)) {
        if (!raw.every((v) => typeof v === 'string' || typeof v === 'number')) fail(name, 'expected a list of strings');
        return raw.map(String).map((s) => s.trim()).filter((s) => s !== '');
      }
      if (typeof raw === 'string') return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      return fail(name, 'expected a list of strings or a comma-separated string');
    }
    case 'map': {
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return raw;
      if (typeof raw === 'string' && raw.trim().startsWith('{')) {
        try {
          const parsed: unknown = JSON.parse(raw);
          if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
        } catch { /* fall through to the error below */ }
      }
      return fail(name, 'expected a map');
    }
    case 'keyPairs': {
      const pairs: Record<string, string> = {};
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
        for (const [k, v] of Object.entries(raw)) pairs[k] = String(v);
        return pairs;
      }
      const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : fail(name, 'expected key=value pairs');
      for (const item of items) {
        const text = String(item);
        const eq = text.indexOf('=');
        if (eq <= 0) fail(name, 'expected key=value pairs');
        pairs[text.slice(0, eq).trim()] = text.slice(eq + 1).trim();
      }
      return pairs;
    }
    case 'any':
      return raw;
  }
}

/** Each field table's entries, listed once (tables are constants; this runs on every request). */
const fieldLists = new WeakMap<Fields, Array<[string, Fields[string]]>>();

function fieldList(fields: Fields): Array<[string, Fields[string]]> {
  let list = fieldLists.get(fields);
  if (!list) fieldLists.set(fields, list = Object.entries(fields));
  return list;
}

/** Validates and fills defaults. Unknown keys are reported back so the caller can warn. */
export function parseFields<F extends Fields>(
  fields: F,
  input: Record<string, unknown>,
): { data: FieldData<F>; unknown: string[] } {
  // The caller's values by name, from the input's own keys (a few): looking every field up in
  // the input instead costs a slow property miss for each field the caller left out.
  const given = new Map<string, unknown>();
  const unknown: string[] = [];
  for (const k in input) {
    if (!Object.hasOwn(input, k)) continue;
    given.set(k, input[k]);
    if (!(k in fields)) unknown.push(k);
  }
  const data: Record<string, unknown> = {};
  for (const [name, spec] of fieldList(fields)) {
    const raw = given.get(name);
    if (raw === undefined || raw === null) {
      if (spec.required) throw new InvalidRequest(`missing required field "${name}"`);
      if (spec.default !== undefined) {
        data[name] = typeof spec.default === 'object' && spec.default !== null ? structuredClone(spec.default) : spec.default;
      }
      continue;
    }
    data[name] = coerceField(name, spec, raw);
  }
  return { data: data as FieldData<F>, unknown };
}
