/** AppRole `role/` paths: role CRUD, per-field sub-paths, role-id read/update. */
import { randomUUID } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { FieldSpec } from '../../framework/fields.js';
import { validCidrs } from '../../core/tokens/cidr.js';
import { TOKEN_FIELDS, parseTokenParams, tokenParamsData, defaultTokenParams } from '../common/token-params.js';
import { APPROLE_ENTRY_VERSION, type AppRoleStore, type RoleEntry } from './store.js';

const ROLE_NAME = /^\w(?:[\w.-]*\w)?$/;

export function roleName(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (!ROLE_NAME.test(name)) throw new InvalidRequest('invalid role name');
  return name;
}

export const ROLE_FIELDS = {
  role_name: { type: 'string', required: true },
  bind_secret_id: { type: 'bool', description: 'Require a secret_id at login (default true).' },
  secret_id_bound_cidrs: { type: 'commaStringList', description: 'CIDR blocks allowed to log in with secret ids of this role.' },
  bound_cidr_list: { type: 'commaStringList', description: 'Deprecated: use secret_id_bound_cidrs.' },
  secret_id_num_uses: { type: 'int', description: 'Uses of each secret id; 0 = unlimited.' },
  secret_id_ttl: { type: 'duration', description: 'Lifetime of secret ids; 0 = unlimited.' },
  local_secret_ids: { type: 'bool' },
  role_id: { type: 'string', description: 'Set a custom role id when creating the role.' },
  ...TOKEN_FIELDS,
} as const;

type RoleInput = { bind_secret_id?: boolean; secret_id_bound_cidrs?: string[]; bound_cidr_list?: string[]; secret_id_num_uses?: number; secret_id_ttl?: number; local_secret_ids?: boolean } & Parameters<typeof parseTokenParams>[0];

/** Applies present fields over `current` and validates the whole role. */
export function applyRoleInput(current: RoleEntry, d: RoleInput): RoleEntry {
  const next: RoleEntry = { ...current, ...parseTokenParams(d, current) };
  if (d.bind_secret_id !== undefined) next.bind_secret_id = d.bind_secret_id;
  const cidrs = d.secret_id_bound_cidrs ?? d.bound_cidr_list;
  if (cidrs !== undefined) {
    if (!validCidrs(cidrs)) throw new InvalidRequest('invalid CIDR block in secret_id_bound_cidrs');
    next.secret_id_bound_cidrs = cidrs;
  }
  if (d.secret_id_num_uses !== undefined) {
    if (d.secret_id_num_uses < 0) throw new InvalidRequest('secret_id_num_uses cannot be negative');
    next.secret_id_num_uses = d.secret_id_num_uses;
  }
  if (d.secret_id_ttl !== undefined) next.secret_id_ttl = d.secret_id_ttl;
  if (d.local_secret_ids !== undefined) next.local_secret_ids = d.local_secret_ids;
  if (!next.bind_secret_id && next.secret_id_bound_cidrs.length === 0 && next.token_bound_cidrs.length === 0) {
    throw new InvalidRequest('at least one constraint should be enabled on the role');
  }
  return next;
}

export function roleData(role: RoleEntry): Record<string, unknown> {
  return {
    bind_secret_id: role.bind_secret_id,
    local_secret_ids: role.local_secret_ids,
    secret_id_bound_cidrs: [...role.secret_id_bound_cidrs],
    secret_id_num_uses: role.secret_id_num_uses,
    secret_id_ttl: role.secret_id_ttl,
    ...tokenParamsData(role),
  };
}

/** Sub-paths that read or write one property: `role/:name/<segment>` → field. */
const FIELD_PATHS: Array<{ segment: string; field: string; spec: FieldSpec; reset: (r: RoleEntry) => Partial<RoleEntry> }> = [
  { segment: 'policies', field: 'token_policies', spec: TOKEN_FIELDS.token_policies, reset: () => ({ token_policies: [] }) },
  { segment: 'secret-id-bound-cidrs', field: 'secret_id_bound_cidrs', spec: ROLE_FIELDS.secret_id_bound_cidrs, reset: () => ({ secret_id_bound_cidrs: [] }) },
  { segment: 'bound-cidr-list', field: 'secret_id_bound_cidrs', spec: ROLE_FIELDS.secret_id_bound_cidrs, reset: () => ({ secret_id_bound_cidrs: [] }) },
  { segment: 'token-bound-cidrs', field: 'token_bound_cidrs', spec: TOKEN_FIELDS.token_bound_cidrs, reset: () => ({ token_bound_cidrs: [] }) },
  { segment: 'bind-secret-id', field: 'bind_secret_id', spec: ROLE_FIELDS.bind_secret_id, reset: () => ({ bind_secret_id: true }) },
  { segment: 'secret-id-num-uses', field: 'secret_id_num_uses', spec: ROLE_FIELDS.secret_id_num_uses, reset: () => ({ secret_id_num_uses: 0 }) },
  { segment: 'secret-id-ttl', field: 'secret_id_ttl', spec: ROLE_FIELDS.secret_id_ttl, reset: () => ({ secret_id_ttl: 0 }) },
  { segment: 'period', field: 'token_period', spec: TOKEN_FIELDS.token_period, reset: () => ({ token_period: 0 }) },
  { segment: 'token-num-uses', field: 'token_num_uses', spec: TOKEN_FIELDS.token_num_uses, reset: () => ({ token_num_uses: 0 }) },
  { segment: 'token-ttl', field: 'token_ttl', spec: TOKEN_FIELDS.token_ttl, reset: () => ({ token_ttl: 0 }) },
  { segment: 'token-max-ttl', field: 'token_max_ttl', spec: TOKEN_FIELDS.token_max_ttl, reset: () => ({ token_max_ttl: 0 }) },
];

export function rolePaths(deps: { store: AppRoleStore; deleteSecretIds(role: RoleEntry): Promise<void> }): PathDef<any>[] {
  const { store } = deps;

  async function mustRole(raw: string): Promise<RoleEntry> {
    const role = await store.getRole(roleName(raw));
    if (!role) throw new InvalidRequest('role does not exist');
    return role;
  }

  const fieldPaths = FIELD_PATHS.map(({ segment, field, spec, reset }) => path({
    pattern: `role/:role_name/${segment}`,
    fields: { role_name: { type: 'string', required: true }, [field]: spec } as Record<string, FieldSpec>,
    operations: {
      read: async (_req, d) => {
        const role = await store.getRole(roleName(String(d.role_name)));
        if (!role) return undefined;
        return { data: { [field]: roleData(role)[field] } };
      },
      update: async (_req, d) => {
        const role = await mustRole(String(d.role_name));
        if (d[field] === undefined) throw new InvalidRequest(`missing ${field}`);
        await store.putRole(applyRoleInput(role, { [field]: d[field] } as RoleInput));
        return undefined;
      },
      delete: async (_req, d) => {
        const role = await mustRole(String(d.role_name));
        await store.putRole({ ...role, ...reset(role) });
        return undefined;
      },
    },
  }));

  return [
    path({
      pattern: 'role/',
      operations: { list: async () => ({ data: { keys: (await store.listRoles()).sort() } }) },
      synopsis: 'List the roles.',
    }),
    path({
      pattern: 'role/:role_name',
      fields: ROLE_FIELDS,
      existenceCheck: async (_req, d) => (await store.getRole(roleName(d.role_name))) !== undefined,
      operations: {
        read: async (_req, d) => {
          const role = await store.getRole(roleName(d.role_name));
          return role ? { data: roleData(role) } : undefined;
        },
        create: async (_req, d) => {
          const name = roleName(d.role_name);
          const blank: RoleEntry = {
            v: APPROLE_ENTRY_VERSION, name, role_id: '', bind_secret_id: true, secret_id_bound_cidrs: [],
            secret_id_num_uses: 0, secret_id_ttl: 0, local_secret_ids: false, ...defaultTokenParams(),
          };
          const role = applyRoleInput(blank, d);
          role.role_id = d.role_id || randomUUID();
          if (await store.roleNameById(role.role_id)) throw new InvalidRequest('role_id already in use');
          await store.setRoleId(role.role_id, name);
          await store.putRole(role);
          return undefined;
        },
        update: async (_req, d) => {
          const role = await mustRole(d.role_name);
          const next = applyRoleInput(role, d);
          if (d.role_id && d.role_id !== role.role_id) {
            if (await store.roleNameById(d.role_id)) throw new InvalidRequest('role_id already in use');
            await store.deleteRoleId(role.role_id);
            next.role_id = d.role_id;
            await store.setRoleId(next.role_id, next.name);
          }
          await store.putRole(next);
          return undefined;
        },
        delete: async (_req, d) => {
          const role = await store.getRole(roleName(d.role_name));
          if (!role) return undefined;
          await deps.deleteSecretIds(role);
          await store.deleteRoleId(role.role_id);
          await store.deleteRole(role.name);
          return undefined;
        },
      },
      synopsis: 'Register a role with the backend.',
    }),
    ...fieldPaths,
    path({
      pattern: 'role/:role_name/local-secret-ids',
      fields: { role_name: { type: 'string', required: true } } as const,
      operations: {
        read: async (_req, d) => {
          const role = await store.getRole(roleName(d.role_name));
          return role ? { data: { local_secret_ids: role.local_secret_ids } } : undefined;
        },
      },
    }),
    path({
      pattern: 'role/:role_name/role-id',
      fields: { role_name: { type: 'string', required: true }, role_id: { type: 'string' } } as const,
      operations: {
        read: async (_req, d) => {
          const role = await store.getRole(roleName(d.role_name));
          return role ? { data: { role_id: role.role_id } } : undefined;
        },
        update: async (_req, d) => {
          const role = await mustRole(d.role_name);
          if (!d.role_id) throw new InvalidRequest('missing role_id');
          if (d.role_id === role.role_id) return undefined;
          if (await store.roleNameById(d.role_id)) throw new InvalidRequest('role_id already in use');
          await store.deleteRoleId(role.role_id);
          await store.setRoleId(d.role_id, role.name);
          await store.putRole({ ...role, role_id: d.role_id });
          return undefined;
        },
      },
      synopsis: 'Read or set the role id of a role.',
    }),
  ];
}
