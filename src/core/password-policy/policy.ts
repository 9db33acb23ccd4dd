/**
 * Password policies (Vault's sdk/helper/random): an HCL document with a `length` and one or more
 * `rule "charset" { charset = "...", min-chars = N }` blocks. The generator draws from the union
 * of every rule's charset; each rule's minimum must be met.
 */
import { InvalidRequest } from '../../errors.js';
import { parseHcl } from '../../util/hcl.js';

export interface CharsetRule {
  /** Distinct characters, in first-seen order. */
  charset: string[];
  minChars: number;
}

export interface PasswordPolicy {
  length: number;
  rules: CharsetRule[];
  /** Union of every rule's charset (distinct, sorted by code point). */
  charset: string[];
}

/** Vault refuses policies shorter than this. */
export const MIN_LENGTH = 4;
/** Keeps generation bounded; Vault does not cap, but no database accepts more. */
export const MAX_LENGTH = 4096;

function fail(detail: string): never {
  throw new InvalidRequest(`unable to parse password policy: ${detail}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Vault accepts the policy text as-is or base64-encoded. */
export function decodePolicyText(text: string): string {
  const compact = text.replace(/\s/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return text;
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.toString('base64') !== compact) return text;
  const decoded = bytes.toString('utf8');
  return /length\s*=|"length"/.test(decoded) ? decoded : text;
}

async function toDocument(text: string): Promise<Record<string, unknown>> {
  if (text.trimStart().startsWith('{')) {
    let value: unknown;
    try { value = JSON.parse(text); } catch { fail('invalid JSON'); }
    if (!isPlainObject(value)) fail('not an object');
    return value;
  }
  let value: unknown;
  try {
    value = parseHcl(text, 'password_policy.hcl');
  } catch {
    fail('invalid HCL');
  }
  if (!isPlainObject(value)) fail('not an object');
  return value;
}

function asInt(value: unknown, what: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) fail(`${what} must be an integer`);
  return n;
}

function charsetRules(raw: unknown): CharsetRule[] {
  if (raw === undefined) return [];
  // HCL: rule "charset" { ... } → { rule: { charset: [ {...} ] } }; JSON may also use a list of those maps.
  const containers = Array.isArray(raw) ? raw : [raw];
  const rules: CharsetRule[] = [];
  for (const container of containers) {
    if (!isPlainObject(container)) fail('rule must be a block');
    for (const [type, blocks] of Object.entries(container)) {
      if (type !== 'charset') fail('unrecognized rule type (only "charset" is supported)');
      for (const block of Array.isArray(blocks) ? blocks : [blocks]) {
        if (!isPlainObject(block)) fail('charset rule must be a block');
        for (const key of Object.keys(block)) {
          if (key !== 'charset' && key !== 'min-chars') fail('charset rule accepts only "charset" and "min-chars"');
        }
        if (typeof block.charset !== 'string' || block.charset.length === 0) fail('charset rule needs a non-empty charset');
        const minChars = block['min-chars'] === undefined ? 0 : asInt(block['min-chars'], 'min-chars');
        if (minChars < 0) fail('min-chars must not be negative');
        rules.push({ charset: [...new Set(Array.from(block.charset))], minChars });
      }
    }
  }
  return rules;
}

/** Parses and validates a policy; throws InvalidRequest naming what is wrong (never the text). */
export async function parsePasswordPolicy(text: string): Promise<PasswordPolicy> {
  const document = await toDocument(decodePolicyText(text));
  for (const key of Object.keys(document)) {
    if (key !== 'length' && key !== 'rule') fail('unrecognized top-level key (expected "length" and "rule" blocks)');
  }
  if (document.length === undefined) fail('length is required');
  const length = asInt(document.length, 'length');
  if (length < MIN_LENGTH) fail(`length must be >= ${MIN_LENGTH}`);
  if (length > MAX_LENGTH) fail(`length must be <= ${MAX_LENGTH}`);
  const rules = charsetRules(document.rule);
  if (rules.length === 0) fail('no charset specified');
  const required = rules.reduce((sum, r) => sum + r.minChars, 0);
  if (required > length) fail(`specified rules require at least ${required} characters but ${length} is specified`);
  const charset = [...new Set(rules.flatMap((r) => r.charset))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  return { length, rules, charset };
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** Vault's default generator: 20 characters, at least one lower, upper, digit and dash. */
export const DEFAULT_PASSWORD_POLICY_HCL = `length = 20
rule "charset" {
  charset = "${LOWER}"
  min-chars = 1
}
rule "charset" {
  charset = "${UPPER}"
  min-chars = 1
}
rule "charset" {
  charset = "${DIGITS}"
  min-chars = 1
}
rule "charset" {
  charset = "-"
  min-chars = 1
}
`;

function rule(chars: string, minChars: number): CharsetRule {
  return { charset: Array.from(chars), minChars };
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = (() => {
  const rules = [rule(LOWER, 1), rule(UPPER, 1), rule(DIGITS, 1), rule('-', 1)];
  const charset = [...new Set(rules.flatMap((r) => r.charset))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  return { length: 20, rules, charset };
})();
