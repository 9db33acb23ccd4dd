import { InvalidRequest } from '../../errors.js';
import { parseDurationSeconds } from '../../util/duration.js';
import { HclSyntaxError, parseHcl } from '../../util/hcl.js';
import { normalizePolicyName } from './names.js';
import { CAPABILITIES, type Capability, type ParameterMap, type PathRule, type Policy } from './types.js';

export { normalizePolicyName } from './names.js';

/**
 * Parses an ACL policy written in HCL or JSON (optionally base64-encoded, as Vault accepts on
 * `sys/policies/acl/:name`). Every failure is an InvalidRequest starting `failed to parse policy`.
 * Messages name block positions and keys from the policy language, never submitted values.
 */
export async function parsePolicy(name: string, text: string): Promise<Policy> {
  const raw = decodeIfBase64(text);
  const document = await toDocument(raw);
  const paths = parseDocument(document);
  return {
    name: normalizePolicyName(name),
    raw,
    paths,
    templated: paths.some((p) => p.templated),
  };
}

function fail(detail: string): never {
  throw new InvalidRequest(`failed to parse policy: ${detail}`);
}

/** Strict standard base64 (Go's StdEncoding, which skips CR/LF), decoding to printable UTF-8. */
export function decodeIfBase64(text: string): string {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0) return text;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return text;
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.toString('base64') !== compact) return text;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return text;
  }
  // Printable text only: a policy never holds control characters other than whitespace.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(decoded)) return text;
  return decoded;
}

async function toDocument(raw: string): Promise<Record<string, unknown>> {
  if (raw.trimStart().startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      fail('invalid JSON');
    }
    if (!isPlainObject(value)) fail('does not contain a root object');
    return value;
  }
  let value: unknown;
  try {
    value = parseHcl(raw, 'policy.hcl');
  } catch (err) {
    fail(describeHclError(err));
  }
  if (!isPlainObject(value)) fail('does not contain a root object');
  return value;
}

/** Position and reason only; the parser's errors never carry policy text. */
function describeHclError(err: unknown): string {
  if (!(err instanceof HclSyntaxError)) return 'invalid HCL';
  return `invalid HCL at line ${err.line}, column ${err.column}: ${err.reason}`;
}

const TOP_LEVEL_KEYS = new Set(['name', 'path']);

function parseDocument(doc: Record<string, unknown>): PathRule[] {
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL_KEYS.has(key)) fail('invalid top-level key (allowed: name, path)');
  }
  if (doc.name !== undefined && typeof doc.name !== 'string') fail('"name" must be a string');
  if (doc.path === undefined) return [];
  // hcl2json emits path blocks sorted by path; sort JSON input the same way (stably) so both
  // notations give identical rules and identical block numbers in error messages.
  const blocks = pathBlocks(doc.path).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return blocks.map(([path, body], index) => parsePathBlock(path, body, index + 1));
}

/**
 * Flattens the shapes a `path` stanza takes: HCL2 via hcl2json `{p: [{...}, ...]}`, JSON
 * `{p: {...}}`, and HCL1-style JSON lists `[{p: {...}}, ...]`.
 */
function pathBlocks(value: unknown): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  const groups = Array.isArray(value) ? value : [value];
  for (const group of groups) {
    if (!isPlainObject(group)) fail('"path" must be a map of path blocks');
    for (const [path, body] of Object.entries(group)) {
      const bodies = Array.isArray(body) ? body : [body];
      for (const b of bodies) {
        if (!isPlainObject(b)) fail('a path block must be an object');
        out.push([path, b]);
      }
    }
  }
  return out;
}

const BLOCK_KEYS = new Set([
  'comment', 'policy', 'capabilities', 'allowed_parameters', 'denied_parameters',
  'required_parameters', 'min_wrapping_ttl', 'max_wrapping_ttl', 'subscribe_event_types',
  'mfa_methods', 'control_group',
]);
/** Enterprise features Arca does not enforce; ignoring them would silently widen access. */
const UNSUPPORTED_BLOCK_KEYS = new Set(['mfa_methods', 'control_group']);

const LEGACY_POLICIES: Record<string, readonly Capability[]> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

const CAPABILITY_SET: ReadonlySet<string> = new Set(CAPABILITIES);

function parsePathBlock(rawPath: string, body: Record<string, unknown>, position: number): PathRule {
  const where = `path block #${position}`;
  for (const key of Object.keys(body)) {
    if (UNSUPPORTED_BLOCK_KEYS.has(key)) fail(`${where}: "${key}" is not supported`);
    if (!BLOCK_KEYS.has(key)) fail(`${where}: invalid key`);
  }

  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (path.includes('+*')) fail(`${where}: invalid use of wildcards ('+*' is forbidden)`);
  const templated = validateTemplating(path, where);
  const hasSegmentWildcards = path === '+' || path.includes('/+') || path.startsWith('+/');
  const isPrefix = path.endsWith('*') && !hasSegmentWildcards;

  if (body.comment !== undefined && typeof body.comment !== 'string') fail(`${where}: "comment" must be a string`);
  if (body.subscribe_event_types !== undefined) stringList(body.subscribe_event_types, `${where}: "subscribe_event_types"`);

  const capabilities = parseCapabilities(body, where);

  const minWrappingTtlSeconds = parseTtl(body.min_wrapping_ttl, `${where}: invalid min_wrapping_ttl`);
  const maxWrappingTtlSeconds = parseTtl(body.max_wrapping_ttl, `${where}: invalid max_wrapping_ttl`);
  if (minWrappingTtlSeconds !== 0 && maxWrappingTtlSeconds !== 0 && maxWrappingTtlSeconds < minWrappingTtlSeconds) {
    fail(`${where}: max_wrapping_ttl cannot be less than min_wrapping_ttl`);
  }

  const denyOnly = capabilities.length === 1 && capabilities[0] === 'deny';
  return {
    path,
    isPrefix,
    hasSegmentWildcards,
    templated,
    capabilities,
    allowedParameters: denyOnly ? undefined : parameterMap(body.allowed_parameters, `${where}: "allowed_parameters"`),
    deniedParameters: denyOnly ? undefined : parameterMap(body.denied_parameters, `${where}: "denied_parameters"`),
    requiredParameters: body.required_parameters === undefined
      ? [] : stringList(body.required_parameters, `${where}: "required_parameters"`),
    minWrappingTtlSeconds,
    maxWrappingTtlSeconds,
  };
}

function parseCapabilities(body: Record<string, unknown>, where: string): Capability[] {
  const listed = body.capabilities === undefined ? [] : stringList(body.capabilities, `${where}: "capabilities"`);
  let all: string[] = [...listed];
  if (body.policy !== undefined) {
    const legacy = typeof body.policy === 'string' ? LEGACY_POLICIES[body.policy] : undefined;
    if (!legacy) fail(`${where}: invalid policy (allowed: deny, read, write, sudo)`);
    all = legacy[0] === 'deny' ? ['deny'] : [...all, ...legacy];
  }
  const out: Capability[] = [];
  for (const capability of all) {
    if (!CAPABILITY_SET.has(capability)) {
      fail(`${where}: invalid capability (allowed: ${CAPABILITIES.join(', ')})`);
    }
  }
  // `deny` discards every other capability of the block.
  if (all.includes('deny')) return ['deny'];
  for (const capability of all as Capability[]) if (!out.includes(capability)) out.push(capability);
  return out;
}

function parseTtl(value: unknown, message: string): number {
  if (value === undefined) return 0;
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) fail(message);
  return seconds;
}

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) fail(`${what} must be a list of strings`);
  return value as string[];
}

/** `{key = [values]}` (or HCL block form, a list of such maps); keys lower-cased, [] = any value. */
function parameterMap(value: unknown, what: string): ParameterMap | undefined {
  if (value === undefined) return undefined;
  const maps = Array.isArray(value) ? value : [value];
  const out = new Map<string, unknown[]>();
  for (const map of maps) {
    if (!isPlainObject(map)) fail(`${what} must be a map of lists`);
    for (const [key, values] of Object.entries(map)) {
      if (!Array.isArray(values)) fail(`${what} must be a map of lists`);
      const lower = key.toLowerCase();
      const existing = out.get(lower);
      if (existing === undefined) out.set(lower, [...values]);
      else out.set(lower, existing.length === 0 || values.length === 0 ? [] : [...existing, ...values]);
    }
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Identity templates Vault's ACL templating accepts; the path is resolved per token. Returns
 * whether the path is templated.
 */
const TEMPLATE_KEY = new RegExp(
  '^identity\\.(?:' +
    'entity\\.(?:id|name|metadata\\.[^{}]+|aliases\\.[^.{}]+\\.(?:id|name|metadata\\.[^{}]+))' +
    '|groups\\.(?:ids\\.[^.{}]+\\.name|names\\.[^.{}]+\\.id)' +
  ')$',
);

function validateTemplating(path: string, where: string): boolean {
  if (!path.includes('{{') && !path.includes('}}')) return false;
  const withoutTemplates = path.replace(/\{\{([^{}]*)\}\}/g, (_whole, key: string) => {
    if (!TEMPLATE_KEY.test(key.trim())) fail(`${where}: failed to validate policy templating`);
    return '';
  });
  if (withoutTemplates.includes('{{') || withoutTemplates.includes('}}')) {
    fail(`${where}: failed to validate policy templating`);
  }
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
