/**
 * `policy fmt`: parse an ACL policy (HCL or JSON), check its shape as Vault's parser does, and
 * print it canonically: one `path "..." { }` block per rule, two-space indent, aligned `=`.
 * Comments and the original order of rules are not preserved (paths come out sorted).
 */
import { parseHcl } from '../util/hcl.js';

export class PolicyFormatError extends Error {}

const CAPABILITIES = new Set(['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'root']);
const RULE_KEYS = ['policy', 'capabilities', 'min_wrapping_ttl', 'max_wrapping_ttl', 'allowed_parameters', 'denied_parameters', 'required_parameters'];

type Rule = Record<string, unknown>;

function parse(text: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try { return JSON.parse(trimmed) as Record<string, unknown>; } catch { throw new PolicyFormatError('failed to parse policy: invalid JSON'); }
  }
  try { return parseHcl(text, 'policy.hcl'); } catch (err) {
    throw new PolicyFormatError(`failed to parse policy: ${err instanceof Error ? err.message : 'invalid HCL'}`);
  }
}

/** JSON policies may give a path's rule as an object or a one-element list, as HCL does. */
function rulesOf(paths: unknown): Array<[string, Rule]> {
  if (typeof paths !== 'object' || paths === null || Array.isArray(paths)) throw new PolicyFormatError('failed to parse policy: "path" must be a block');
  const out: Array<[string, Rule]> = [];
  for (const [name, raw] of Object.entries(paths)) {
    const bodies = Array.isArray(raw) ? raw : [raw];
    for (const body of bodies) {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new PolicyFormatError(`failed to parse policy: path ${JSON.stringify(name)} must be a block`);
      out.push([name, body as Rule]);
    }
  }
  return out;
}

function check(name: string, rule: Rule): void {
  for (const key of Object.keys(rule)) {
    if (!RULE_KEYS.includes(key)) throw new PolicyFormatError(`failed to parse policy: path ${JSON.stringify(name)}: invalid key ${JSON.stringify(key)}`);
  }
  const caps = rule.capabilities;
  if (caps !== undefined) {
    if (!Array.isArray(caps)) throw new PolicyFormatError(`failed to parse policy: path ${JSON.stringify(name)}: capabilities must be a list`);
    for (const cap of caps) {
      if (typeof cap !== 'string' || !CAPABILITIES.has(cap.toLowerCase())) throw new PolicyFormatError(`failed to parse policy: path ${JSON.stringify(name)}: invalid capability`);
    }
  }
  if (rule.policy !== undefined && !['read', 'write', 'deny', 'sudo', 'list'].includes(String(rule.policy))) {
    throw new PolicyFormatError(`failed to parse policy: path ${JSON.stringify(name)}: invalid policy`);
  }
}

function literal(value: unknown, indent: string): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, indent)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const inner = `${indent}  `;
  return `{\n${assignments(entries.map(([k, v]) => [JSON.stringify(k), v]), inner)}\n${indent}}`;
}

/** `key = value` lines with the `=` of consecutive single-line values aligned, as hclfmt does. */
function assignments(entries: Array<[string, unknown]>, indent: string): string {
  const lines: string[] = [];
  let group: Array<[string, string]> = [];
  const flush = () => {
    const width = Math.max(0, ...group.map(([k]) => k.length));
    for (const [k, v] of group) lines.push(`${indent}${k.padEnd(width)} = ${v}`);
    group = [];
  };
  for (const [key, value] of entries) {
    const text = literal(value, indent);
    if (text.includes('\n')) { flush(); lines.push(`${indent}${key} = ${text}`); } else group.push([key, text]);
  }
  flush();
  return lines.join('\n');
}

export function formatPolicy(text: string): string {
  const doc = parse(text);
  for (const key of Object.keys(doc)) {
    if (key !== 'path' && key !== 'name') throw new PolicyFormatError(`failed to parse policy: invalid key ${JSON.stringify(key)}`);
  }
  const blocks: string[] = [];
  if (doc.name !== undefined) blocks.push(assignments([['name', doc.name]], ''));
  for (const [name, rule] of doc.path === undefined ? [] : rulesOf(doc.path)) {
    check(name, rule);
    const ordered = RULE_KEYS.filter((k) => k in rule).map((k): [string, unknown] => [k, rule[k]]);
    const body = assignments(ordered, '  ');
    blocks.push(body ? `path ${JSON.stringify(name)} {\n${body}\n}` : `path ${JSON.stringify(name)} {}`);
  }
  return `${blocks.join('\n\n')}\n`;
}
