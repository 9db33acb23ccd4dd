/** roles/ and roles/:name — the policies that issue/ and sign/ apply. */
import { path } from '../../framework/path.js';
import type { FieldSpec } from '../../framework/fields.js';
import { resolveKeySpec } from './crypto.js';
import { extKeyUsageOids, keyUsageFlags } from './certgen.js';
import type { PkiDeps } from './deps.js';
import { ROLE_DEFAULTS, type Role } from './role-model.js';

const ROLE_FIELDS = {
  name: { type: 'string', required: true },
  ttl: { type: 'duration' },
  max_ttl: { type: 'duration' },
  allow_localhost: { type: 'bool' },
  allowed_domains: { type: 'commaStringList' },
  allow_bare_domains: { type: 'bool' },
  allow_subdomains: { type: 'bool' },
  allow_glob_domains: { type: 'bool' },
  allow_wildcard_certificates: { type: 'bool' },
  allow_any_name: { type: 'bool' },
  enforce_hostnames: { type: 'bool' },
  allow_ip_sans: { type: 'bool' },
  server_flag: { type: 'bool' },
  client_flag: { type: 'bool' },
  code_signing_flag: { type: 'bool' },
  email_protection_flag: { type: 'bool' },
  key_type: { type: 'string' },
  key_bits: { type: 'int' },
  key_usage: { type: 'commaStringList' },
  ext_key_usage: { type: 'commaStringList' },
  ext_key_usage_oids: { type: 'commaStringList' },
  use_csr_common_name: { type: 'bool' },
  use_csr_sans: { type: 'bool' },
  require_cn: { type: 'bool' },
  organization: { type: 'commaStringList' },
  ou: { type: 'commaStringList' },
  country: { type: 'commaStringList' },
  no_store: { type: 'bool' },
  generate_lease: { type: 'bool' },
  not_before_duration: { type: 'duration' },
} as const satisfies Record<string, FieldSpec>;

/** Merges a write over the existing role (or the defaults) and validates it. */
export function mergeRole(base: Role, input: Record<string, unknown>): Role {
  const role: Role = { ...base };
  for (const key of Object.keys(ROLE_DEFAULTS) as (keyof Role)[]) {
    if (input[key] !== undefined) (role as unknown as Record<string, unknown>)[key] = input[key];
  }
  // Rejects unknown key types, sizes and usages at write time, with a 400.
  if (role.key_type !== 'any') resolveKeySpec(role.key_type, role.key_bits);
  keyUsageFlags(role.key_usage);
  extKeyUsageOids(role.ext_key_usage, role.ext_key_usage_oids);
  return role;
}

export function rolePaths(deps: PkiDeps) {
  return [
    path({
      pattern: 'roles/',
      synopsis: 'List the roles.',
      operations: { list: async () => ({ data: { keys: await deps.store.listRoles() } }) },
    }),
    path({
      pattern: 'roles/:name',
      fields: ROLE_FIELDS,
      synopsis: 'Manage the roles that can be used to issue certificates.',
      existenceCheck: async (_req, data) => (await deps.store.getRole(data.name)) !== undefined,
      operations: {
        read: async (_req, data) => {
          const role = await deps.store.getRole(data.name);
          return role ? { data: { ...role } } : undefined;
        },
        delete: async (_req, data) => {
          await deps.store.deleteRole(data.name);
        },
        create: async (_req, data) => {
          const { name, ...input } = data;
          const role = mergeRole(ROLE_DEFAULTS, input);
          await deps.store.putRole(name, role);
          return { data: { ...role } };
        },
        update: async (_req, data) => {
          const { name, ...input } = data;
          // A write replaces the role (unset fields take their defaults), as Vault does.
          const role = mergeRole(ROLE_DEFAULTS, input);
          await deps.store.putRole(name, role);
          return { data: { ...role } };
        },
      },
    }),
  ];
}
