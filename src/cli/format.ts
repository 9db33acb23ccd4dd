/**
 * Output the way Vault's CLI prints it: aligned "Key  Value" tables with a dashed underline
 * (four-space glue, "n/a" for empty cells), `-format=json`, and `-field=NAME` raw values.
 */
import { FlagError } from './flags.js';

export type OutputFormat = 'table' | 'json';

export function parseFormat(value: string): OutputFormat {
  const format = value.trim().toLowerCase() || 'table';
  if (format !== 'table' && format !== 'json') throw new FlagError(`Invalid output format: ${value}`);
  return format;
}

/** Aligns rows into columns like ryanuber/columnize: cells padded, joined by four spaces. */
export function columns(rows: string[][], glue = '    '): string {
  const widths: number[] = [];
  const cells = rows.map((row) => row.map((cell) => (cell === '' ? 'n/a' : cell)));
  for (const row of cells) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, [...cell].length); });
  return cells
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length))).join(glue).trimEnd())
    .join('\n');
}

/** Header row, dashes under each header, then the rows. */
export function table(header: string[], rows: string[][]): string {
  return columns([header, header.map((h) => '-'.repeat(h.length)), ...rows]);
}

export function keyValueTable(rows: Array<[string, string]>): string {
  return table(['Key', 'Value'], rows);
}

/** Go's `%v` for JSON values: `[a b]`, `map[k:v]`, `<nil>`. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(formatValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${formatValue(v)}`).join(' ')}]`;
  }
  return String(value);
}

/** Go's `%q` of a string slice: ["a" "b"]. */
export function quotedList(values: unknown): string {
  const list = Array.isArray(values) ? values : [];
  return `[${list.map((v) => JSON.stringify(String(v))).join(' ')}]`;
}

/** Seconds as Vault prints durations: 768h, 1h30m, 45s, 0s. */
export function humanDuration(seconds: number): string {
  if (!seconds) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  let out = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  if (out.endsWith('m0s')) out = out.slice(0, -2);
  out = out.replace(/h0m$/, 'h').replace(/h0m(\d)/, 'h$1');
  return out;
}

export function looksLikeDuration(key: string): boolean {
  return key === 'period' || key.endsWith('_period') || key === 'ttl' || key.endsWith('_ttl')
    || key === 'duration' || key.endsWith('_duration') || key === 'lease_max' || key === 'ttl_max';
}

function cell(key: string, value: unknown): string {
  if (looksLikeDuration(key) && typeof value === 'number' && Number.isInteger(value)) return humanDuration(value);
  return formatValue(value);
}

/** A map as a sorted Key/Value table; empty string when there is nothing to show. */
export function mapTable(data: Record<string, unknown>): string {
  const keys = Object.keys(data).sort();
  if (keys.length === 0) return '';
  return keyValueTable(keys.map((k) => [k, cell(k, data[k])]));
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** The subset of Vault's response envelope the CLI renders. */
export interface Secret {
  request_id?: string;
  lease_id?: string;
  lease_duration?: number;
  renewable?: boolean;
  data?: Record<string, unknown> | null;
  warnings?: string[] | null;
  wrap_info?: { token: string; accessor: string; ttl: number; creation_time: string; creation_path: string; wrapped_accessor?: string } | null;
  auth?: {
    client_token: string; accessor: string; policies?: string[] | null; token_policies?: string[] | null;
    identity_policies?: string[] | null; metadata?: Record<string, string> | null; lease_duration: number; renewable: boolean;
  } | null;
  [key: string]: unknown;
}

/** Vault's TableFormatter.OutputSecret. */
export function secretTable(secret: Secret): string {
  const rows: Array<[string, string]> = [];
  const lease = secret.lease_duration ?? 0;
  if (lease > 0) {
    if (secret.lease_id) {
      rows.push(['lease_id', secret.lease_id], ['lease_duration', humanDuration(lease)], ['lease_renewable', String(Boolean(secret.renewable))]);
    } else {
      rows.push(['refresh_interval', humanDuration(lease)]);
    }
  }
  const auth = secret.auth;
  if (auth) {
    rows.push(['token', auth.client_token], ['token_accessor', auth.accessor]);
    rows.push(['token_duration', auth.lease_duration === 0 ? '∞' : humanDuration(auth.lease_duration)]);
    rows.push(['token_renewable', String(auth.renewable)]);
    rows.push(['token_policies', quotedList(auth.token_policies)], ['identity_policies', quotedList(auth.identity_policies)]);
    rows.push(['policies', quotedList(auth.policies)]);
    for (const [k, v] of Object.entries(auth.metadata ?? {})) rows.push([`token_meta_${k}`, formatValue(v)]);
  }
  const wrap = secret.wrap_info;
  if (wrap) {
    rows.push(['wrapping_token:', wrap.token], ['wrapping_accessor:', wrap.accessor], ['wrapping_token_ttl:', humanDuration(wrap.ttl)]);
    rows.push(['wrapping_token_creation_time:', wrap.creation_time], ['wrapping_token_creation_path:', wrap.creation_path]);
    if (wrap.wrapped_accessor) rows.push(['wrapped_accessor:', wrap.wrapped_accessor]);
  }
  const data = secret.data ?? {};
  for (const k of Object.keys(data).sort()) rows.push([k, cell(k, data[k])]);
  return rows.length === 0 ? '' : keyValueTable(rows);
}

export function warningsText(warnings: string[] | null | undefined): string {
  if (!warnings || warnings.length === 0) return '';
  return `WARNING! The following warnings were returned from Vault:\n\n${warnings.map((w) => `  * ${w}\n`).join('\n')}\n`;
}

/**
 * Vault's PrintRawField: a data key first, then the auth/wrap pseudo-fields.
 * Returns undefined when the field is absent.
 */
export function secretField(secret: Secret, field: string): unknown {
  const data = secret.data ?? {};
  if (Object.prototype.hasOwnProperty.call(data, field)) return data[field];
  const auth = secret.auth;
  if (auth) {
    const authFields: Record<string, unknown> = {
      token: auth.client_token, token_accessor: auth.accessor, token_duration: auth.lease_duration,
      token_renewable: auth.renewable, token_policies: auth.token_policies, identity_policies: auth.identity_policies,
      policies: auth.policies,
    };
    if (field in authFields) return authFields[field];
  }
  const wrap = secret.wrap_info;
  if (wrap) {
    const wrapFields: Record<string, unknown> = {
      wrapping_token: wrap.token, wrapping_accessor: wrap.accessor, wrapping_token_ttl: wrap.ttl,
      wrapping_token_creation_time: wrap.creation_time, wrapping_token_creation_path: wrap.creation_path,
      wrapped_accessor: wrap.wrapped_accessor,
    };
    if (field in wrapFields) return wrapFields[field];
  }
  const lease: Record<string, unknown> = { lease_id: secret.lease_id, lease_duration: secret.lease_duration, lease_renewable: secret.renewable, refresh_interval: secret.lease_duration };
  if (field in lease && lease[field] !== undefined) return lease[field];
  return undefined;
}

/** A raw field value: strings as they are, other values as JSON. */
export function rawValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Go's encoding/json for decoded JSON: map keys sorted, `<`, `>`, `&`, U+2028/9 escaped; MarshalIndent with two spaces. */
export function goJson(value: unknown): string {
  const text = JSON.stringify(sortKeys(value), null, 2) ?? 'null';
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}

/**
 * The envelope as Vault's CLI re-encodes its api.Secret: the struct's fields in their order
 * (auth and wrap_info only when present), maps sorted by key.
 */
export function secretJson(secret: Secret): string {
  const auth = secret.auth as (Secret['auth'] & { orphan?: boolean; entity_id?: string; mfa_requirement?: unknown }) | null | undefined;
  const wrap = secret.wrap_info;
  const shaped: Record<string, unknown> = {
    request_id: secret.request_id ?? '',
    lease_id: secret.lease_id ?? '',
    lease_duration: secret.lease_duration ?? 0,
    renewable: secret.renewable ?? false,
    data: secret.data ? sortKeys(secret.data) : null,
    warnings: secret.warnings ?? null,
  };
  if (auth) {
    shaped.auth = {
      client_token: auth.client_token ?? '', accessor: auth.accessor ?? '', policies: auth.policies ?? null,
      token_policies: auth.token_policies ?? null, identity_policies: auth.identity_policies ?? null,
      metadata: auth.metadata ? sortKeys(auth.metadata) : null, orphan: auth.orphan ?? false, entity_id: auth.entity_id ?? '',
      lease_duration: auth.lease_duration ?? 0, renewable: auth.renewable ?? false, mfa_requirement: auth.mfa_requirement ?? null,
    };
  }
  if (wrap) {
    shaped.wrap_info = {
      token: wrap.token ?? '', accessor: wrap.accessor ?? '', ttl: wrap.ttl ?? 0, creation_time: wrap.creation_time ?? '',
      creation_path: wrap.creation_path ?? '', wrapped_accessor: wrap.wrapped_accessor ?? '',
    };
  }
  return JSON.stringify(shaped, null, 2).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Rows of a `|`-separated table (Vault's tableOutput): header, dashes under each header, rows. */
export function pipeTable(rows: string[][]): string {
  if (rows.length === 0) return '';
  return columns([rows[0], rows[0].map((h) => '-'.repeat(h.length)), ...rows.slice(1)]);
}
