/**
 * Identity-token templates (Vault's JSON templating mode): every `{{parameter}}` becomes the
 * JSON encoding of the entity's value, so `{"team": {{identity.entity.metadata.team}}}`
 * renders as `{"team": "core"}` and `{{identity.entity.groups.names}}` as a JSON array. A
 * value the entity lacks is an empty string, list or object; an unknown parameter is an error.
 */
import { parseDurationSeconds } from '../../../util/duration.js';

export interface TemplateAlias {
  id: string;
  name: string;
  mountAccessor: string;
  metadata: Record<string, string>;
  customMetadata: Record<string, string>;
}

export interface TemplateInput {
  entity: { id: string; name: string; metadata: Record<string, string> };
  aliases: TemplateAlias[];
  /** Direct and inherited groups. */
  groups: { id: string; name: string }[];
  /** Seconds since the epoch. */
  now: number;
}

export class TemplateError extends Error {}

type Value = string | number | string[] | Record<string, string>;

function field<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function aliasValue(alias: TemplateAlias | undefined, rest: string[], param: string): Value {
  const [what, ...key] = rest;
  const sub = key.join('.');
  switch (what) {
    case 'id': if (key.length === 0) return alias?.id ?? ''; break;
    case 'name': if (key.length === 0) return alias?.name ?? ''; break;
    case 'metadata': return key.length === 0 ? alias?.metadata ?? {} : field(alias?.metadata ?? {}, sub) ?? '';
    case 'custom_metadata': return key.length === 0 ? alias?.customMetadata ?? {} : field(alias?.customMetadata ?? {}, sub) ?? '';
  }
  throw new TemplateError(`unknown template parameter "${param}"`);
}

function resolve(param: string, input: TemplateInput): Value {
  if (param === 'time.now') return input.now;
  for (const [prefix, sign] of [['time.now.plus.', 1], ['time.now.minus.', -1]] as const) {
    if (param.startsWith(prefix)) {
      const seconds = parseDurationSeconds(param.slice(prefix.length));
      if (seconds === undefined) throw new TemplateError(`invalid duration in template parameter "${param}"`);
      return input.now + sign * seconds;
    }
  }
  if (!param.startsWith('identity.entity.')) throw new TemplateError(`unknown template parameter "${param}"`);
  const path = param.slice('identity.entity.'.length);
  const { entity } = input;
  if (path === 'id') return entity.id;
  if (path === 'name') return entity.name;
  if (path === 'metadata') return entity.metadata;
  if (path.startsWith('metadata.')) return field(entity.metadata, path.slice('metadata.'.length)) ?? '';
  if (path === 'groups.ids') return input.groups.map((g) => g.id);
  if (path === 'groups.names') return input.groups.map((g) => g.name);
  if (path.startsWith('aliases.')) {
    const [accessor, ...rest] = path.slice('aliases.'.length).split('.');
    if (!accessor || rest.length === 0) throw new TemplateError(`unknown template parameter "${param}"`);
    return aliasValue(input.aliases.find((a) => a.mountAccessor === accessor), rest, param);
  }
  throw new TemplateError(`unknown template parameter "${param}"`);
}

/** The template with every parameter replaced by its JSON value (the result is not parsed). */
export function renderTemplate(template: string, input: TemplateInput): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = template.indexOf('{{', at);
    const stray = template.indexOf('}}', at);
    if (open === -1) {
      if (stray !== -1) throw new TemplateError('unbalanced template delimiters');
      return out + template.slice(at);
    }
    if (stray !== -1 && stray < open) throw new TemplateError('unbalanced template delimiters');
    const close = template.indexOf('}}', open + 2);
    if (close === -1) throw new TemplateError('unbalanced template delimiters');
    const param = template.slice(open + 2, close).trim();
    if (param.includes('{{')) throw new TemplateError('unbalanced template delimiters');
    out += template.slice(at, open) + JSON.stringify(resolve(param, input));
    at = close + 2;
  }
}

/** Claims that templates may not set (the standard ones the token is built from). */
export const RESERVED_CLAIMS: readonly string[] = ['iat', 'aud', 'exp', 'iss', 'sub', 'namespace', 'nonce', 'auth_time', 'at_hash', 'c_hash'];

/** Renders and parses a template into top-level claims; an empty template gives none. */
export function templateClaims(template: string, input: TemplateInput): Record<string, unknown> {
  if (template === '') return {};
  const rendered = renderTemplate(template, input);
  let parsed: unknown;
  try {
    parsed = JSON.parse(rendered);
  } catch (err) {
    throw new TemplateError(`error parsing template JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TemplateError('error parsing template JSON: the template must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** A template as given on a role: JSON, or the same in standard base64. */
export function decodeTemplate(raw: string): string {
  if (raw !== '' && raw.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(raw)) return Buffer.from(raw, 'base64').toString('utf8');
  return raw;
}

/** Checks a role's template the way it will be rendered (against an empty entity). */
export function validateTemplate(template: string): void {
  if (template === '') return;
  const claims = templateClaims(template, { entity: { id: '', name: '', metadata: {} }, aliases: [], groups: [], now: 0 });
  for (const key of Object.keys(claims)) {
    if (RESERVED_CLAIMS.includes(key)) throw new TemplateError(`top level key "${key}" not allowed. Restricted keys: ${RESERVED_CLAIMS.join(', ')}`);
  }
}
