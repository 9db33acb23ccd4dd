/** auth/token/roles (LIST) and roles/:role_name (CRUD). */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { FieldData } from '../../framework/fields.js';
import { validCidrs } from '../../core/tokens/cidr.js';
import { defaultRole, normalizeNames, roleData, ROLE_TOKEN_TYPES, type RoleStore, type RoleTokenType, type TokenRole } from './role.js';

const roleFields = {
  role_name: { type: 'string', required: true },
  allowed_policies: { type: 'commaStringList' },
  disallowed_policies: { type: 'commaStringList' },
  allowed_policies_glob: { type: 'commaStringList' },
  disallowed_policies_glob: { type: 'commaStringList' },
  allowed_entity_aliases: { type: 'commaStringList' },
  orphan: { type: 'bool' },
  renewable: { type: 'bool' },
  path_suffix: { type: 'string' },
  token_period: { type: 'duration' },
  period: { type: 'duration', description: 'Deprecated alias of token_period' },
  token_explicit_max_ttl: { type: 'duration' },
  explicit_max_ttl: { type: 'duration', description: 'Deprecated alias of token_explicit_max_ttl' },
  token_type: { type: 'string' },
  token_bound_cidrs: { type: 'commaStringList' },
  bound_cidrs: { type: 'commaStringList', description: 'Deprecated alias of token_bound_cidrs' },
  token_num_uses: { type: 'int' },
  token_no_default_policy: { type: 'bool' },
} as const;

type RoleData = FieldData<typeof roleFields>;

/** Applies the fields present in the request over `role`, then checks the combination. */
export function applyRoleFields(role: TokenRole, d: RoleData): TokenRole {
  const next: TokenRole = { ...role };
  if (d.allowed_policies !== undefined) next.allowedPolicies = normalizeNames(d.allowed_policies);
  if (d.disallowed_policies !== undefined) next.disallowedPolicies = normalizeNames(d.disallowed_policies);
  if (d.allowed_policies_glob !== undefined) next.allowedPoliciesGlob = normalizeNames(d.allowed_policies_glob);
  if (d.disallowed_policies_glob !== undefined) next.disallowedPoliciesGlob = normalizeNames(d.disallowed_policies_glob);
  if (d.allowed_entity_aliases !== undefined) next.allowedEntityAliases = normalizeNames(d.allowed_entity_aliases);
  if (d.orphan !== undefined) next.orphan = d.orphan;
  if (d.renewable !== undefined) next.renewable = d.renewable;
  if (d.path_suffix !== undefined) {
    const suffix = d.path_suffix.trim();
    if (suffix.split('/').includes('..')) throw new InvalidRequest('error registering path suffix: path cannot contain parent references');
    next.pathSuffix = suffix;
  }
  const period = d.token_period ?? d.period;
  if (period !== undefined) next.tokenPeriod = period;
  const explicitMax = d.token_explicit_max_ttl ?? d.explicit_max_ttl;
  if (explicitMax !== undefined) next.tokenExplicitMaxTtl = explicitMax;
  if (d.token_type !== undefined) {
    const type = d.token_type.trim().toLowerCase();
    if (!ROLE_TOKEN_TYPES.includes(type)) throw new InvalidRequest("invalid 'token_type' value");
    next.tokenType = (type === 'default' ? 'default-service' : type) as RoleTokenType;
  }
  const cidrs = d.token_bound_cidrs ?? d.bound_cidrs;
  if (cidrs !== undefined) {
    if (!validCidrs(cidrs)) throw new InvalidRequest('error parsing bound_cidrs: invalid CIDR block');
    next.tokenBoundCidrs = cidrs;
  }
  if (d.token_num_uses !== undefined) {
    if (d.token_num_uses < 0) throw new InvalidRequest('token_num_uses cannot be negative');
    next.tokenNumUses = d.token_num_uses;
  }
  if (d.token_no_default_policy !== undefined) next.tokenNoDefaultPolicy = d.token_no_default_policy;

  if (next.tokenType === 'batch') {
    if (!next.orphan) throw new InvalidRequest("'token_type' cannot be 'batch' when role is set to generate non-orphan tokens");
    if (next.tokenPeriod !== 0) throw new InvalidRequest("'token_type' cannot be 'batch' when role is set to generate periodic tokens");
    if (next.renewable) throw new InvalidRequest("'token_type' cannot be 'batch' when role is set to generate renewable tokens");
    if (next.tokenExplicitMaxTtl !== 0) throw new InvalidRequest("'token_type' cannot be 'batch' when role is set to generate tokens with an explicit max TTL");
  }
  return next;
}

export function rolePaths(roles: RoleStore): PathDef<any>[] {
  return [
    path({
      pattern: 'roles/',
      operations: { list: async () => ({ data: { keys: (await roles.list()).sort() } }) },
      synopsis: 'List token roles',
    }),
    path({
      pattern: 'roles/:role_name',
      fields: roleFields,
      existenceCheck: async (_req, d) => (await roles.get(d.role_name)) !== undefined,
      operations: {
        read: async (_req, d) => {
          const role = await roles.get(d.role_name);
          return role ? { data: roleData(role) } : undefined;
        },
        create: async (_req, d) => {
          await roles.put(applyRoleFields(defaultRole(d.role_name.toLowerCase()), d));
        },
        update: async (_req, d) => {
          const existing = (await roles.get(d.role_name)) ?? defaultRole(d.role_name.toLowerCase());
          await roles.put(applyRoleFields(existing, d));
        },
        delete: async (_req, d) => {
          await roles.delete(d.role_name);
        },
      },
      synopsis: 'Manage a token role',
    }),
  ];
}
