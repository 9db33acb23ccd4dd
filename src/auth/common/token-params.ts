/**
 * The token parameters every role or user of an auth method carries (Vault's tokenutil):
 * fields, parsing with Vault's rules and messages, the read-out shape, and the AuthResult a
 * login hands to core. Legacy names (policies, ttl, max_ttl, period, bound_cidrs) are
 * accepted as fallbacks, as Vault does.
 */
import { InvalidRequest } from '../../errors.js';
import type { FieldSpec } from '../../framework/fields.js';
import type { AuthResult } from '../../framework/logical.js';
import { validCidrs } from '../../core/tokens/cidr.js';

export type RoleTokenType = 'default' | 'service' | 'batch' | 'default-service' | 'default-batch';

/** The stored form (seconds). A permanent layout inside user/role entries. */
export interface TokenParams {
  token_policies: string[];
  token_ttl: number;
  token_max_ttl: number;
  token_period: number;
  token_num_uses: number;
  token_type: RoleTokenType;
  token_bound_cidrs: string[];
  token_explicit_max_ttl: number;
  token_no_default_policy: boolean;
}

export const TOKEN_FIELDS = {
  token_policies: { type: 'commaStringList', description: 'Policies attached to tokens issued by this login.' },
  token_ttl: { type: 'duration', description: 'Initial TTL of issued tokens.' },
  token_max_ttl: { type: 'duration', description: 'Maximum lifetime of issued tokens.' },
  token_period: { type: 'duration', description: 'Makes issued tokens periodic with this period.' },
  token_num_uses: { type: 'int', description: 'Uses allowed per issued token; 0 = unlimited.' },
  token_type: { type: 'string', description: 'service, batch, default, default-service or default-batch.' },
  token_bound_cidrs: { type: 'commaStringList', description: 'CIDR blocks allowed to use issued tokens.' },
  token_explicit_max_ttl: { type: 'duration', description: 'Hard lifetime cap of issued tokens.' },
  token_no_default_policy: { type: 'bool', description: 'Do not add the default policy.' },
  policies: { type: 'commaStringList', description: 'Deprecated: use token_policies.' },
  ttl: { type: 'duration', description: 'Deprecated: use token_ttl.' },
  max_ttl: { type: 'duration', description: 'Deprecated: use token_max_ttl.' },
  period: { type: 'duration', description: 'Deprecated: use token_period.' },
  bound_cidrs: { type: 'commaStringList', description: 'Deprecated: use token_bound_cidrs.' },
} as const satisfies Record<string, FieldSpec>;

export type TokenFieldInput = {
  [K in keyof typeof TOKEN_FIELDS]?: (typeof TOKEN_FIELDS)[K]['type'] extends 'commaStringList' ? string[]
    : (typeof TOKEN_FIELDS)[K]['type'] extends 'bool' ? boolean : (typeof TOKEN_FIELDS)[K]['type'] extends 'string' ? string : number;
};

export function defaultTokenParams(): TokenParams {
  return {
    token_policies: [], token_ttl: 0, token_max_ttl: 0, token_period: 0, token_num_uses: 0,
    token_type: 'default', token_bound_cidrs: [], token_explicit_max_ttl: 0, token_no_default_policy: false,
  };
}

function parseTokenType(raw: string): RoleTokenType {
  const value = raw === '' ? 'default' : raw;
  if (value === 'default' || value === 'service' || value === 'batch' || value === 'default-service' || value === 'default-batch') return value;
  throw new InvalidRequest(`invalid 'token_type' value`);
}

/**
 * Applies the fields present in `input` over `current` (update semantics) and checks the
 * combination with Vault's messages. Returns a new object.
 */
export function parseTokenParams(input: TokenFieldInput, current: TokenParams = defaultTokenParams()): TokenParams {
  const next: TokenParams = structuredClone(current);
  const pick = <T>(modern: T | undefined, legacy: T | undefined): T | undefined => modern ?? legacy;
  const policies = pick(input.token_policies, input.policies);
  if (policies !== undefined) next.token_policies = policies;
  const ttl = pick(input.token_ttl, input.ttl);
  if (ttl !== undefined) next.token_ttl = ttl;
  const maxTtl = pick(input.token_max_ttl, input.max_ttl);
  if (maxTtl !== undefined) next.token_max_ttl = maxTtl;
  const period = pick(input.token_period, input.period);
  if (period !== undefined) next.token_period = period;
  const cidrs = pick(input.token_bound_cidrs, input.bound_cidrs);
  if (cidrs !== undefined) {
    if (!validCidrs(cidrs)) throw new InvalidRequest('invalid CIDR block in token_bound_cidrs');
    next.token_bound_cidrs = cidrs;
  }
  if (input.token_num_uses !== undefined) next.token_num_uses = input.token_num_uses;
  if (input.token_explicit_max_ttl !== undefined) next.token_explicit_max_ttl = input.token_explicit_max_ttl;
  if (input.token_no_default_policy !== undefined) next.token_no_default_policy = input.token_no_default_policy;
  if (input.token_type !== undefined) next.token_type = parseTokenType(input.token_type);

  if (next.token_max_ttl < 0) throw new InvalidRequest("'token_max_ttl' cannot be negative");
  if (next.token_period < 0) throw new InvalidRequest("'token_period' cannot be negative");
  if (next.token_num_uses < 0) throw new InvalidRequest("'token_num_uses' cannot be negative");
  if (next.token_ttl < 0) throw new InvalidRequest("'token_ttl' cannot be negative");
  if (next.token_explicit_max_ttl < 0) throw new InvalidRequest("'token_explicit_max_ttl' cannot be negative");
  if (next.token_type === 'batch' || next.token_type === 'default-batch') {
    if (next.token_period !== 0) throw new InvalidRequest("'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens");
    if (next.token_num_uses !== 0) throw new InvalidRequest("'token_type' cannot be 'batch' or 'default_batch' when set to generate tokens with limited use count");
  }
  if (next.token_ttl > 0 && next.token_max_ttl > 0 && next.token_ttl > next.token_max_ttl) {
    throw new InvalidRequest("'token_ttl' cannot be greater than 'token_max_ttl'");
  }
  return next;
}

/** The read-out shape (Vault's PopulateTokenData). */
export function tokenParamsData(p: TokenParams): Record<string, unknown> {
  return {
    token_bound_cidrs: [...p.token_bound_cidrs],
    token_explicit_max_ttl: p.token_explicit_max_ttl,
    token_max_ttl: p.token_max_ttl,
    token_no_default_policy: p.token_no_default_policy,
    token_num_uses: p.token_num_uses,
    token_period: p.token_period,
    token_policies: [...p.token_policies],
    token_ttl: p.token_ttl,
    token_type: p.token_type,
  };
}

/** A login's result for core to mint (Vault's PopulateTokenAuth). */
export function authResultFrom(
  p: TokenParams,
  identity: { displayName: string; metadata: Record<string, string>; aliasName: string; aliasMetadata?: Record<string, string>; internal?: Record<string, unknown>; groupAliases?: string[] },
): AuthResult {
  const tokenType = p.token_type === 'batch' || p.token_type === 'service' ? p.token_type : 'default';
  return {
    policies: [...p.token_policies],
    displayName: identity.displayName,
    metadata: identity.metadata,
    ttlSeconds: p.token_ttl || undefined,
    maxTtlSeconds: p.token_max_ttl || undefined,
    explicitMaxTtlSeconds: p.token_explicit_max_ttl || undefined,
    periodSeconds: p.token_period || undefined,
    numUses: p.token_num_uses,
    renewable: tokenType !== 'batch',
    tokenType,
    boundCidrs: p.token_bound_cidrs.length > 0 ? [...p.token_bound_cidrs] : undefined,
    noDefaultPolicy: p.token_no_default_policy,
    alias: { name: identity.aliasName, metadata: identity.aliasMetadata },
    groupAliases: identity.groupAliases,
    internal: identity.internal,
  };
}

/** Same policy set, order and case aside (Vault's EquivalentPolicies, `default` ignored). */
export function equivalentPolicies(a: readonly string[], b: readonly string[]): boolean {
  const norm = (list: readonly string[]) => [...new Set(list.map((p) => p.trim().toLowerCase()).filter((p) => p !== '' && p !== 'default'))].sort().join(',');
  return norm(a) === norm(b);
}
