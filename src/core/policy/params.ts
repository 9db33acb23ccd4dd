import { isDeepStrictEqual } from 'node:util';
import type { ParameterMap } from './types.js';

/**
 * Vault's parameter constraints (`required_parameters`, `denied_parameters`,
 * `allowed_parameters`), evaluated on read/create/update/patch requests after the capability
 * check. Returns why the request is refused, or undefined when it passes.
 */
export interface ParameterRules {
  readonly allowed?: ParameterMap;
  readonly denied?: ParameterMap;
  readonly required: readonly string[];
}

export function checkParameters(rules: ParameterRules, data: Readonly<Record<string, unknown>>): string | undefined {
  for (const name of rules.required) {
    if (!Object.hasOwn(data, name.toLowerCase())) return 'a required parameter is missing';
  }
  const keys = Object.keys(data);
  if (keys.length === 0) return undefined;

  const denied = rules.denied;
  if (denied && denied.size > 0) {
    if (denied.has('*')) return 'all parameters are denied';
    for (const key of keys) {
      const values = denied.get(key.toLowerCase());
      if (values && valueInParameterList(data[key], values)) return 'a parameter is denied';
    }
  }

  const allowed = rules.allowed;
  if (!allowed || allowed.size === 0) return undefined;
  const allowedAll = allowed.has('*');
  if (allowedAll && allowed.size === 1) return undefined;
  for (const key of keys) {
    const values = allowed.get(key.toLowerCase());
    if (values === undefined) {
      if (!allowedAll) return 'a parameter is not allowed';
    } else if (!valueInParameterList(data[key], values)) {
      return 'a parameter value is not allowed';
    }
  }
  return undefined;
}

/** An empty list matches every value; strings match with `prefix*` / `*suffix` / `*infix*` globs. */
export function valueInParameterList(value: unknown, list: readonly unknown[]): boolean {
  if (list.length === 0) return true;
  return list.some((element) => {
    if (element === null || element === undefined || value === null || value === undefined) {
      return (element ?? null) === (value ?? null);
    }
    if (typeof element === 'string' && typeof value === 'string') return globbedStringsMatch(element, value);
    return isDeepStrictEqual(element, value);
  });
}

/** Vault's strutil.GlobbedStringsMatch: `*` only as the first and/or last character. */
export function globbedStringsMatch(pattern: string, value: string): boolean {
  if (pattern.length < 2) return pattern === value;
  const leading = pattern.startsWith('*');
  const trailing = pattern.endsWith('*');
  if (leading && trailing) return value.includes(pattern.slice(1, -1));
  if (leading) return value.endsWith(pattern.slice(1));
  if (trailing) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}
