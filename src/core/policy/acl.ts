import { ArcaError, PermissionDenied } from '../../errors.js';
import { ROOT_POLICY_NAME } from './names.js';
import { checkParameters } from './params.js';
import { nonCanonicalReason } from './path.js';
import type { Capability, ParameterMap, PathRule, Policy } from './types.js';

/**
 * The compiled ACL for one token: Vault's evaluation order and merge rules
 * (OpenBao internal/vault/policy/acl.go), built once from the token's policies.
 *
 * Matching: (1) exact rule; (2) for LIST, the exact rule without the trailing `/`; (3) the
 * highest-priority `*`-prefix or `+` rule; (4) for LIST, (3) again without the trailing `/`.
 * Only the chosen rule counts. Rules for the same path string are merged across policies
 * (union of capabilities, `deny` absorbs everything).
 */

export type AclOperation =
  | 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'help'
  | 'alias-lookahead' | 'resolve-role' | 'header'
  | 'renew' | 'revoke' | 'rollback';

export interface AclRequest {
  /** Decoded, canonical request path (see canonicalRequestPath); list paths end in `/`. */
  readonly path: string;
  readonly operation: AclOperation;
  readonly data?: Readonly<Record<string, unknown>>;
  /** Requested response-wrapping TTL; undefined when the request is not wrapped. */
  readonly wrapTtlSeconds?: number;
}

export interface AclDecision {
  readonly allowed: boolean;
  /** The matched rule carries `sudo` (or the token is root): passes root-protected path checks. */
  readonly rootPrivs: boolean;
  /** Why the request was refused; never contains submitted values. */
  readonly reason?: string;
  /** Policies whose rule grants the capability used (`['root']` for root). */
  readonly grantingPolicies: string[];
}

export interface CompileOptions {
  /**
   * Resolves an identity template key (`identity.entity.id`, ...) for the token's entity.
   * Undefined (or no resolver) skips the rule, as Vault does for a token without an entity.
   */
  readonly resolveTemplate?: (key: string) => string | undefined;
}

export interface Acl {
  readonly isRoot: boolean;
  allowOperation(req: AclRequest): AclDecision;
  /** Sorted capabilities on a path, evaluated like LIST; `['root']` for root, `['deny']` for none. */
  capabilities(path: string): string[];
  /** True if some non-deny rule could grant access to a path under `mountPath` (`secret/`). */
  hasAccessUnder(mountPath: string): boolean;
}

interface Permissions {
  capabilities: Set<Capability>;
  granting: Map<Capability, string[]>;
  allowed?: Map<string, unknown[]>;
  denied?: Map<string, unknown[]>;
  required: string[];
  minWrappingTtlSeconds: number;
  maxWrappingTtlSeconds: number;
}

/** A candidate non-exact rule with the facts Vault's priority order compares. */
interface Candidate {
  /** Index of the first `+` (segment rules) or the prefix length (prefix rules). */
  readonly firstWildcard: number;
  readonly isPrefix: boolean;
  readonly wildcards: number;
  /** The rule path without its trailing `*`. */
  readonly wcPath: string;
  readonly perms: Permissions;
}

interface SegmentRule extends Candidate {
  readonly parts: readonly string[];
}

const OPERATION_CAPABILITY: Partial<Record<AclOperation, Capability>> = {
  read: 'read', list: 'list', create: 'create', update: 'update', patch: 'patch', delete: 'delete',
  renew: 'update', revoke: 'update', rollback: 'update',
};

const PARAMETER_CHECKED: ReadonlySet<AclOperation> = new Set(['read', 'create', 'update', 'patch']);

export function compileAcl(policies: readonly Policy[], options: CompileOptions = {}): Acl {
  if (policies.some((p) => p.name === ROOT_POLICY_NAME)) {
    if (policies.length !== 1) throw new ArcaError('other policies present along with root');
    return ROOT_ACL;
  }

  const exact = new Map<string, Permissions>();
  const prefixes = new Map<string, Permissions>();
  const segments = new Map<string, Permissions>();

  for (const policy of policies) {
    for (const written of policy.paths) {
      const rule = written.templated ? resolveTemplated(written, options.resolveTemplate) : written;
      if (!rule) continue;
      const table = rule.hasSegmentWildcards ? segments : rule.isPrefix ? prefixes : exact;
      const key = rule.isPrefix ? rule.path.slice(0, -1) : rule.path;
      const existing = table.get(key);
      if (existing) mergeInto(existing, rule, policy.name);
      else table.set(key, fromRule(rule, policy.name));
    }
  }
  return createAcl(exact, prefixes, compileSegmentRules(segments));
}

function fromRule(rule: PathRule, policyName: string): Permissions {
  const capabilities = new Set(rule.capabilities);
  const denied = capabilities.has('deny');
  return {
    capabilities,
    granting: new Map([...capabilities].map((c) => [c, [policyName]])),
    allowed: denied ? undefined : copyParameterMap(rule.allowedParameters),
    denied: denied ? undefined : copyParameterMap(rule.deniedParameters),
    required: [...rule.requiredParameters],
    minWrappingTtlSeconds: rule.minWrappingTtlSeconds,
    maxWrappingTtlSeconds: rule.maxWrappingTtlSeconds,
  };
}

function copyParameterMap(map: ParameterMap | undefined): Map<string, unknown[]> | undefined {
  if (!map || map.size === 0) return undefined;
  return new Map([...map].map(([k, v]) => [k, [...v]]));
}

/** Vault's NewACL merge of a second rule for the same path string. */
function mergeInto(perms: Permissions, rule: PathRule, policyName: string): void {
  if (perms.capabilities.has('deny')) return;
  if (rule.capabilities.includes('deny')) {
    perms.capabilities = new Set(['deny']);
    perms.granting = new Map([['deny', [policyName]]]);
    perms.allowed = undefined;
    perms.denied = undefined;
    return;
  }
  for (const capability of rule.capabilities) {
    perms.capabilities.add(capability);
    const names = perms.granting.get(capability) ?? [];
    if (!names.includes(policyName)) names.push(policyName);
    perms.granting.set(capability, names);
  }
  // The lowest non-zero wrapping TTL bound wins on each side.
  if (rule.maxWrappingTtlSeconds > 0 &&
      (perms.maxWrappingTtlSeconds === 0 || rule.maxWrappingTtlSeconds < perms.maxWrappingTtlSeconds)) {
    perms.maxWrappingTtlSeconds = rule.maxWrappingTtlSeconds;
  }
  if (rule.minWrappingTtlSeconds > 0 &&
      (perms.minWrappingTtlSeconds === 0 || rule.minWrappingTtlSeconds < perms.minWrappingTtlSeconds)) {
    perms.minWrappingTtlSeconds = rule.minWrappingTtlSeconds;
  }
  perms.allowed = mergeParameterMaps(perms.allowed, rule.allowedParameters);
  perms.denied = mergeParameterMaps(perms.denied, rule.deniedParameters);
  for (const name of rule.requiredParameters) if (!perms.required.includes(name)) perms.required.push(name);
}

/** Key-wise union; an empty list on either side means "any value" and wins. */
function mergeParameterMaps(
  existing: Map<string, unknown[]> | undefined, incoming: ParameterMap | undefined,
): Map<string, unknown[]> | undefined {
  if (!incoming || incoming.size === 0) return existing;
  if (!existing) return copyParameterMap(incoming);
  for (const [key, values] of incoming) {
    const current = existing.get(key);
    if (values.length === 0 || (current !== undefined && current.length === 0)) existing.set(key, []);
    else existing.set(key, [...values, ...(current ?? [])]);
  }
  return existing;
}

const TEMPLATE = /\{\{([^{}]*)\}\}/g;

/** Substitutes identity templates; a value may not add path structure or wildcards (Vault's default). */
function resolveTemplated(
  rule: PathRule, resolve: CompileOptions['resolveTemplate'],
): PathRule | undefined {
  if (!resolve) return undefined;
  let missing = false;
  const path = rule.path.replace(TEMPLATE, (_whole, key: string) => {
    const value = resolve(key.trim());
    if (value === undefined || value === '') {
      missing = true;
      return '';
    }
    if (/[/*+]/.test(value)) throw new PermissionDenied('identity template value contains a path separator or wildcard');
    return value;
  });
  if (missing) return undefined;
  const hasSegmentWildcards = path === '+' || path.includes('/+') || path.startsWith('+/');
  return { ...rule, path, templated: false, hasSegmentWildcards, isPrefix: path.endsWith('*') && !hasSegmentWildcards };
}

function compileSegmentRules(segments: Map<string, Permissions>): SegmentRule[] {
  const rules: SegmentRule[] = [];
  for (const [fullPath, perms] of segments) {
    if (fullPath === '') continue;
    const isPrefix = fullPath.endsWith('*');
    const wcPath = isPrefix ? fullPath.slice(0, -1) : fullPath;
    const parts = wcPath.split('/');
    rules.push({
      firstWildcard: fullPath.indexOf('+'),
      isPrefix,
      wildcards: parts.filter((p) => p === '+').length,
      wcPath,
      parts,
      perms,
    });
  }
  // Highest priority first, so the first match is the winner among segment rules.
  return rules.sort((a, b) => comparePriority(b, a));
}

/**
 * Vault's priority of two non-exact rules (> 0 when `a` wins): later first wildcard, then
 * non-prefix over prefix, then fewer `+` segments, then longer, then lexicographically greater.
 */
function comparePriority(a: Candidate, b: Candidate): number {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard - b.firstWildcard;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix ? -1 : 1;
  if (a.wildcards !== b.wildcards) return b.wildcards - a.wildcards;
  if (a.wcPath.length !== b.wcPath.length) return a.wcPath.length - b.wcPath.length;
  return a.wcPath < b.wcPath ? -1 : a.wcPath > b.wcPath ? 1 : 0;
}

function segmentRuleMatches(rule: SegmentRule, pathParts: readonly string[]): boolean {
  const { parts, isPrefix } = rule;
  if (pathParts.length < parts.length) return false;
  if (!isPrefix && pathParts.length !== parts.length) return false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === '+' || part === pathParts[i]) continue;
    if (isPrefix && i === parts.length - 1 && pathParts[i].startsWith(part)) continue;
    return false;
  }
  return true;
}

function createAcl(
  exact: Map<string, Permissions>, prefixes: Map<string, Permissions>, segmentRules: SegmentRule[],
): Acl {
  const prefixLengths = [...new Set([...prefixes.keys()].map((p) => p.length))].sort((a, b) => b - a);

  function longestPrefix(path: string): Candidate | undefined {
    for (const length of prefixLengths) {
      if (length > path.length) continue;
      const prefix = path.slice(0, length);
      const perms = prefixes.get(prefix);
      if (perms) return { firstWildcard: length, isPrefix: true, wildcards: 0, wcPath: prefix, perms };
    }
    return undefined;
  }

  function fromNonExact(path: string): Permissions | undefined {
    const prefix = longestPrefix(path);
    if (segmentRules.length === 0) return prefix?.perms;
    const parts = path.split('/');
    const segment = segmentRules.find((rule) => segmentRuleMatches(rule, parts));
    if (!segment) return prefix?.perms;
    if (!prefix) return segment.perms;
    return comparePriority(segment, prefix) > 0 ? segment.perms : prefix.perms;
  }

  function lookup(path: string, listing: boolean): Permissions | undefined {
    const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
    return exact.get(path)
      ?? (listing ? exact.get(trimmed) : undefined)
      ?? fromNonExact(path)
      ?? (listing && path.endsWith('/') ? fromNonExact(trimmed) : undefined);
  }

  function allowOperation(req: AclRequest): AclDecision {
    if (req.operation === 'help') return { allowed: true, rootPrivs: false, grantingPolicies: [] };
    const path = stripLeadingSlashes(req.path);
    const problem = nonCanonicalReason(path);
    if (problem) return denied(false, problem);

    const perms = lookup(path, req.operation === 'list');
    if (!perms) return denied(false, 'no policy grants access to this path');
    const caps = perms.capabilities;
    const rootPrivs = caps.has('sudo');
    if (caps.has('deny')) return denied(false, 'access to this path is explicitly denied');

    const capability = OPERATION_CAPABILITY[req.operation];
    if (!capability) return denied(rootPrivs, 'operation is not subject to policy');
    if (!caps.has(capability)) return denied(rootPrivs, `policy does not grant the "${capability}" capability`);

    const wrapTtl = req.wrapTtlSeconds;
    if (perms.maxWrappingTtlSeconds > 0 && (wrapTtl === undefined || wrapTtl > perms.maxWrappingTtlSeconds)) {
      return denied(rootPrivs, 'response wrapping with a TTL within the policy maximum is required');
    }
    if (perms.minWrappingTtlSeconds > 0 && (wrapTtl === undefined || wrapTtl < perms.minWrappingTtlSeconds)) {
      return denied(rootPrivs, 'response wrapping with a TTL of at least the policy minimum is required');
    }
    // Possible after merging, though each block is checked when parsed.
    if (perms.minWrappingTtlSeconds > 0 && perms.maxWrappingTtlSeconds > 0 &&
        perms.maxWrappingTtlSeconds < perms.minWrappingTtlSeconds) {
      return denied(rootPrivs, 'merged policies have conflicting wrapping TTL bounds');
    }

    if (PARAMETER_CHECKED.has(req.operation)) {
      const refusal = checkParameters(
        { allowed: perms.allowed, denied: perms.denied, required: perms.required }, req.data ?? {},
      );
      if (refusal) return denied(rootPrivs, refusal);
    }
    return { allowed: true, rootPrivs, grantingPolicies: [...(perms.granting.get(capability) ?? [])] };
  }

  function capabilities(rawPath: string): string[] {
    const path = stripLeadingSlashes(rawPath);
    if (nonCanonicalReason(path)) return ['deny'];
    const perms = lookup(path, true);
    if (!perms || perms.capabilities.has('deny') || perms.capabilities.size === 0) return ['deny'];
    return [...perms.capabilities].sort();
  }

  function hasAccessUnder(mountPath: string): boolean {
    const mount = stripLeadingSlashes(mountPath);
    if (!capabilities(mount).includes('deny')) return true;
    const grants = (p: Permissions) => !p.capabilities.has('deny') && p.capabilities.size > 0;
    for (const [path, perms] of exact) if (path.startsWith(mount) && grants(perms)) return true;
    for (const [path, perms] of prefixes) if (path.startsWith(mount) && grants(perms)) return true;
    const mountParts = (mount.endsWith('/') ? mount.slice(0, -1) : mount).split('/');
    return segmentRules.some((rule) => grants(rule.perms) && segmentRuleCoversMount(rule, mountParts));
  }

  return { isRoot: false, allowOperation, capabilities, hasAccessUnder };
}

/** A `+` rule can match some path under the mount when its leading segments fit the mount's. */
function segmentRuleCoversMount(rule: SegmentRule, mountParts: readonly string[]): boolean {
  for (let i = 0; i < mountParts.length; i++) {
    if (i >= rule.parts.length) return false;
    const part = rule.parts[i];
    if (part === '+' || part === mountParts[i]) continue;
    if (rule.isPrefix && i === rule.parts.length - 1 && mountParts[i].startsWith(part)) return true;
    return false;
  }
  return true;
}

function stripLeadingSlashes(path: string): string {
  let start = 0;
  while (path[start] === '/') start++;
  return path.slice(start);
}

function denied(rootPrivs: boolean, reason: string): AclDecision {
  return { allowed: false, rootPrivs, reason, grantingPolicies: [] };
}

const ROOT_ACL: Acl = Object.freeze({
  isRoot: true,
  allowOperation: (): AclDecision => ({ allowed: true, rootPrivs: true, grantingPolicies: [ROOT_POLICY_NAME] }),
  capabilities: (): string[] => ['root'],
  hasAccessUnder: (): boolean => true,
});
