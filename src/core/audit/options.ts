/** Options every audit device type accepts (Vault's names and defaults). */
import { InvalidRequest } from '../../errors.js';
import type { FormatOptions } from './format.js';

export interface CommonOptions extends FormatOptions {
  prefix: string;
}

function bool(options: Record<string, string>, name: string, fallback: boolean): boolean {
  const raw = options[name];
  if (raw === undefined || raw === '') return fallback;
  const v = String(raw).toLowerCase();
  if (['true', '1', 't'].includes(v)) return true;
  if (['false', '0', 'f'].includes(v)) return false;
  throw new InvalidRequest(`unable to parse '${name}': expected a boolean`);
}

export function parseCommonOptions(options: Record<string, string>): CommonOptions {
  const format = options.format ?? 'json';
  if (format !== 'json') throw new InvalidRequest(`unsupported audit format: only "json" is available`);
  return {
    logRaw: bool(options, 'log_raw', false),
    hmacAccessor: bool(options, 'hmac_accessor', true),
    elideListResponses: bool(options, 'elide_list_responses', false),
    prefix: options.prefix ?? '',
  };
}

/** Options arrive as map<string,string>; numbers and booleans are accepted and stringified. */
export function stringOptions(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') throw new InvalidRequest(`audit option "${k}" must be a string`);
    out[k] = String(v);
  }
  return out;
}
