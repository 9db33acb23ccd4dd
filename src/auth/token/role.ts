/**
 * Token roles: stored records (versioned JSON under `roles/<name>` in the token mount's
 * storage) and the rules that turn a role into token parameters.
 */
import type { BarrierStorage } from '../../barrier/types.js';

export const ROLE_VERSION = 1;

export type RoleTokenType = 'default-service' | 'default-batch' | 'service' | 'batch';
export const ROLE_TOKEN_TYPES: readonly string[] = ['default', 'default-service', 'default-batch', 'service', 'batch'];

export interface TokenRole {
  v: number;
  name: string;
  allowedPolicies: string[];
  disallowedPolicies: string[];
  allowedPoliciesGlob: string[];
  disallowedPoliciesGlob: string[];
  /** Accepted and stored for compatibility; entity aliases are not evaluated. */
  allowedEntityAliases: string[];
  orphan: boolean;
  renewable: boolean;
  pathSuffix: string;
  tokenPeriod: number;
  tokenExplicitMaxTtl: number;
  tokenType: RoleTokenType;
  tokenBoundCidrs: string[];
  tokenNumUses: number;
  tokenNoDefaultPolicy: boolean;
}

export function defaultRole(name: string): TokenRole {
  return {
    v: ROLE_VERSION,
    name,
    allowedPolicies: [],
    disallowedPolicies: [],
    allowedPoliciesGlob: [],
    disallowedPoliciesGlob: [],
    allowedEntityAliases: [],
    orphan: false,
    renewable: true,
    pathSuffix: '',
    tokenPeriod: 0,
    tokenExplicitMaxTtl: 0,
    tokenType: 'default-service',
    tokenBoundCidrs: [],
    tokenNumUses: 0,
    tokenNoDefaultPolicy: false,
  };
}

/** Lower-cased, trimmed, de-duplicated, sorted (Vault's RemoveDuplicates(…, true)). */
export function normalizeNames(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.trim().toLowerCase()).filter((n) => n !== ''))].sort();
}

/** Glob with `*` wildcards anywhere, as Vault's StrListContainsGlob. */
export function globListContains(globs: readonly string[], value: string): boolean {
  return globs.some((glob) => {
    const pattern = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return new RegExp(`^${pattern}$`).test(value);
  });
}

export function roleData(role: TokenRole): Record<string, unknown> {
  const data: Record<string, unknown> = {
    name: role.name,
    allowed_policies: role.allowedPolicies,
    disallowed_policies: role.disallowedPolicies,
    allowed_policies_glob: role.allowedPoliciesGlob,
    disallowed_policies_glob: role.disallowedPoliciesGlob,
    allowed_entity_aliases: role.allowedEntityAliases,
    orphan: role.orphan,
    renewable: role.renewable,
    path_suffix: role.pathSuffix,
    token_period: role.tokenPeriod,
    period: role.tokenPeriod,
    token_explicit_max_ttl: role.tokenExplicitMaxTtl,
    explicit_max_ttl: role.tokenExplicitMaxTtl,
    token_type: role.tokenType,
    token_no_default_policy: role.tokenNoDefaultPolicy,
  };
  if (role.tokenBoundCidrs.length > 0) data.token_bound_cidrs = role.tokenBoundCidrs;
  if (role.tokenNumUses > 0) data.token_num_uses = role.tokenNumUses;
  return data;
}

export function createRoleStore(storage: BarrierStorage) {
  const key = (name: string) => `roles/${name.toLowerCase()}`;
  return {
    async get(name: string): Promise<TokenRole | undefined> {
      if (!name) return undefined;
      const raw = await storage.get(key(name));
      return raw ? (JSON.parse(raw.toString('utf8')) as TokenRole) : undefined;
    },
    async put(role: TokenRole): Promise<void> {
      await storage.put(key(role.name), Buffer.from(JSON.stringify(role)));
    },
    async delete(name: string): Promise<void> {
      await storage.delete(key(name));
    },
    async list(): Promise<string[]> {
      return storage.list('roles/');
    },
  };
}

export type RoleStore = ReturnType<typeof createRoleStore>;
