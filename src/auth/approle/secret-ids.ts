/**
 * AppRole secret ids: generate (random or custom), list accessors, lookup/destroy by secret id
 * or accessor. Only the salted HMAC of a secret id is stored; the id itself is returned once.
 */
import { randomUUID } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import { BlockList } from 'node:net';
import { parseCidr, validCidrs } from '../../core/tokens/cidr.js';
import { roleName } from './roles.js';
import { APPROLE_ENTRY_VERSION, ZERO_TIME, isExpired, type AppRoleStore, type RoleEntry, type SecretIdEntry } from './store.js';

const GENERATE_FIELDS = {
  role_name: { type: 'string', required: true },
  metadata: { type: 'map', description: 'String key/value metadata (JSON object or its string form).' },
  cidr_list: { type: 'commaStringList', description: 'CIDR blocks this secret id may be used from.' },
  token_bound_cidrs: { type: 'commaStringList', description: 'CIDR blocks the issued tokens are bound to.' },
  num_uses: { type: 'int', description: 'Uses of this secret id; 0 = the role default.' },
  ttl: { type: 'duration', description: 'Lifetime of this secret id; 0 = the role default.' },
} as const;

export function secretIdData(entry: SecretIdEntry): Record<string, unknown> {
  return {
    cidr_list: entry.cidr_list,
    creation_time: entry.creation_time,
    expiration_time: entry.expiration_time,
    last_updated_time: entry.last_updated_time,
    metadata: entry.metadata,
    secret_id_accessor: entry.secret_id_accessor,
    secret_id_num_uses: entry.secret_id_num_uses,
    secret_id_ttl: entry.secret_id_ttl,
    token_bound_cidrs: entry.token_bound_cidrs,
  };
}

function stringMap(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (typeof v !== 'string') throw new InvalidRequest('metadata values must be strings');
    out[k] = v;
  }
  return out;
}

/** Every CIDR of `child` lies inside one of `parent` (an empty parent allows anything). */
function subset(child: string[], parent: string[]): boolean {
  if (parent.length === 0) return true;
  return child.every((c) => {
    const inner = parseCidr(c);
    return inner !== undefined && parent.some((p) => {
      const outer = parseCidr(p);
      if (!outer || outer.family !== inner.family || outer.prefix > inner.prefix) return false;
      const list = new BlockList();
      list.addSubnet(outer.address, outer.prefix, outer.family);
      return list.check(inner.address, inner.family);
    });
  });
}

export function createSecretIdOps(store: AppRoleStore, now: () => number = Date.now) {
  async function mustRole(raw: string): Promise<RoleEntry> {
    const role = await store.getRole(roleName(raw));
    if (!role) throw new InvalidRequest('role does not exist');
    return role;
  }

  async function destroy(role: RoleEntry, key: string, entry: SecretIdEntry): Promise<void> {
    await store.deleteAccessor(entry.secret_id_accessor);
    await store.deleteSecretIdKey(key);
  }

  return {
    mustRole,
    destroy,

    async issue(role: RoleEntry, secretId: string, d: { metadata?: Record<string, unknown>; cidr_list?: string[]; token_bound_cidrs?: string[]; num_uses?: number; ttl?: number }) {
      if (!role.bind_secret_id) throw new InvalidRequest('bind_secret_id is not set on the role');
      const cidrList = d.cidr_list ?? [];
      const tokenCidrs = d.token_bound_cidrs ?? [];
      if (!validCidrs(cidrList) || !validCidrs(tokenCidrs)) throw new InvalidRequest('invalid CIDR block');
      if (!subset(cidrList, role.secret_id_bound_cidrs)) throw new InvalidRequest('failed to verify the CIDR restrictions set on the secret ID: CIDRs on the secret ID must be a subset of the role\'s');
      if (!subset(tokenCidrs, role.token_bound_cidrs)) throw new InvalidRequest('failed to verify the token CIDR restrictions set on the secret ID');
      const numUses = d.num_uses ?? 0;
      if (numUses < 0) throw new InvalidRequest('num_uses cannot be negative');
      if (role.secret_id_num_uses > 0 && numUses > role.secret_id_num_uses) throw new InvalidRequest('num_uses cannot be higher than the role\'s secret_id_num_uses');
      const ttl = d.ttl ?? 0;
      if (role.secret_id_ttl > 0 && ttl > role.secret_id_ttl) throw new InvalidRequest('ttl cannot be longer than the role\'s secret_id_ttl');
      const effectiveUses = numUses || role.secret_id_num_uses;
      const effectiveTtl = ttl || role.secret_id_ttl;
      const { roleHmac, secretHmac, key } = await store.secretIdKey(role.name, secretId);
      if (await store.getSecretId(key)) throw new InvalidRequest('SecretID is already registered');
      const t = now();
      const accessor = randomUUID();
      const entry: SecretIdEntry = {
        v: APPROLE_ENTRY_VERSION,
        secret_id_accessor: accessor,
        secret_id_num_uses: effectiveUses,
        secret_id_ttl: effectiveTtl,
        creation_time: new Date(t).toISOString(),
        expiration_time: effectiveTtl > 0 ? new Date(t + effectiveTtl * 1000).toISOString() : ZERO_TIME,
        last_updated_time: new Date(t).toISOString(),
        metadata: stringMap(d.metadata),
        cidr_list: cidrList,
        token_bound_cidrs: tokenCidrs,
      };
      await store.putAccessor(accessor, { secret_id_hmac: secretHmac, role_name_hmac: roleHmac });
      await store.putSecretId(key, entry);
      return {
        data: { secret_id: secretId, secret_id_accessor: accessor, secret_id_ttl: effectiveTtl, secret_id_num_uses: effectiveUses },
      };
    },

    /** Every secret id of a role (role deletion). */
    async destroyAll(role: RoleEntry): Promise<void> {
      const roleHmac = await store.hmac(role.name);
      for (const secretHmac of await store.listSecretIds(roleHmac)) {
        const key = `secret_id/${roleHmac}/${secretHmac}`;
        const entry = await store.getSecretId(key);
        if (entry) await store.deleteAccessor(entry.secret_id_accessor);
        await store.deleteSecretIdKey(key);
      }
    },

    /** The entry behind a secret id, or undefined (an expired one is removed). */
    async find(role: RoleEntry, secretId: string): Promise<{ key: string; entry: SecretIdEntry } | undefined> {
      const { key } = await store.secretIdKey(role.name, secretId);
      const entry = await store.getSecretId(key);
      if (!entry) return undefined;
      if (isExpired(entry, now())) {
        await destroy(role, key, entry);
        return undefined;
      }
      return { key, entry };
    },

    async findByAccessor(role: RoleEntry, accessor: string): Promise<{ key: string; entry: SecretIdEntry } | undefined> {
      const index = await store.getAccessor(accessor);
      if (!index || index.role_name_hmac !== (await store.hmac(role.name))) return undefined;
      const key = `secret_id/${index.role_name_hmac}/${index.secret_id_hmac}`;
      const entry = await store.getSecretId(key);
      return entry ? { key, entry } : undefined;
    },
  };
}

export type SecretIdOps = ReturnType<typeof createSecretIdOps>;

export function secretIdPaths(deps: { store: AppRoleStore; ops: SecretIdOps }): PathDef<any>[] {
  const { store, ops } = deps;
  return [
    path({
      pattern: 'role/:role_name/secret-id',
      fields: GENERATE_FIELDS,
      operations: {
        update: async (_req, d) => ops.issue(await ops.mustRole(d.role_name), randomUUID(), d),
      },
      synopsis: 'Generate a secret id for the role.',
    }),
    path({
      pattern: 'role/:role_name/secret-id/',
      fields: { role_name: { type: 'string', required: true } } as const,
      operations: {
        list: async (_req, d) => {
          const role = await ops.mustRole(d.role_name);
          const roleHmac = await store.hmac(role.name);
          const keys: string[] = [];
          for (const h of await store.listSecretIds(roleHmac)) {
            const entry = await store.getSecretId(`secret_id/${roleHmac}/${h}`);
            if (entry) keys.push(entry.secret_id_accessor);
          }
          return { data: { keys: keys.sort() } };
        },
      },
      synopsis: 'List the accessors of the role\'s secret ids.',
    }),
    path({
      pattern: 'role/:role_name/custom-secret-id',
      fields: { ...GENERATE_FIELDS, secret_id: { type: 'string', description: 'The secret id to register.' } } as const,
      operations: {
        update: async (_req, d) => {
          if (!d.secret_id) throw new InvalidRequest('missing secret_id');
          return ops.issue(await ops.mustRole(d.role_name), d.secret_id, d);
        },
      },
      synopsis: 'Register a secret id of your choice for the role.',
    }),
    path({
      pattern: 'role/:role_name/secret-id/lookup',
      fields: { role_name: { type: 'string', required: true }, secret_id: { type: 'string' } } as const,
      operations: {
        update: async (_req, d) => {
          if (!d.secret_id) throw new InvalidRequest('missing secret_id');
          const found = await ops.find(await ops.mustRole(d.role_name), d.secret_id);
          return found ? { data: secretIdData(found.entry) } : undefined;
        },
      },
    }),
    path({
      pattern: 'role/:role_name/secret-id/destroy',
      fields: { role_name: { type: 'string', required: true }, secret_id: { type: 'string' } } as const,
      operations: {
        update: async (_req, d) => {
          if (!d.secret_id) throw new InvalidRequest('missing secret_id');
          const role = await ops.mustRole(d.role_name);
          const found = await ops.find(role, d.secret_id);
          if (found) await ops.destroy(role, found.key, found.entry);
          return undefined;
        },
        delete: async (_req, d) => {
          if (!d.secret_id) throw new InvalidRequest('missing secret_id');
          const role = await ops.mustRole(d.role_name);
          const found = await ops.find(role, d.secret_id);
          if (found) await ops.destroy(role, found.key, found.entry);
          return undefined;
        },
      },
    }),
    path({
      pattern: 'role/:role_name/secret-id-accessor/lookup',
      fields: { role_name: { type: 'string', required: true }, secret_id_accessor: { type: 'string' } } as const,
      operations: {
        update: async (_req, d) => {
          if (!d.secret_id_accessor) throw new InvalidRequest('missing secret_id_accessor');
          const found = await ops.findByAccessor(await ops.mustRole(d.role_name), d.secret_id_accessor);
          if (!found) throw new InvalidRequest('failed to find accessor entry for secret_id_accessor');
          return { data: secretIdData(found.entry) };
        },
      },
    }),
    path({
      pattern: 'role/:role_name/secret-id-accessor/destroy',
      fields: { role_name: { type: 'string', required: true }, secret_id_accessor: { type: 'string' } } as const,
      operations: {
        update: async (_req, d) => {
          if (!d.secret_id_accessor) throw new InvalidRequest('missing secret_id_accessor');
          const role = await ops.mustRole(d.role_name);
          const found = await ops.findByAccessor(role, d.secret_id_accessor);
          if (!found) throw new InvalidRequest('failed to find accessor entry for secret_id_accessor');
          await ops.destroy(role, found.key, found.entry);
          return undefined;
        },
      },
    }),
  ];
}
