/**
 * identity/entity-alias and entity-alias/id/:id. Moving an alias to another entity needs
 * `update` on both entities' paths (regression for the 2021 alias-merge CVE: a caller allowed
 * to edit one alias could otherwise attach it to, and inherit the policies of, any entity).
 */
import { InvalidRequest, PermissionDenied } from '../../errors.js';
import type { LogicalRequest } from '../../framework/logical.js';
import { path, type PathDef } from '../../framework/path.js';
import type { IdentityBackendDeps } from './deps.js';
import { aliasData } from './render.js';

const ALIAS_FIELDS = {
  id: { type: 'string', description: 'ID of the alias; when set, the alias is updated.' },
  canonical_id: { type: 'string', description: 'Entity the alias belongs to.' },
  entity_id: { type: 'string', description: 'Deprecated: use canonical_id.' },
  mount_accessor: { type: 'string', description: 'Accessor of the auth mount the alias belongs to.' },
  name: { type: 'string', description: 'Name of the alias (the login name on that mount).' },
  custom_metadata: { type: 'keyPairs', description: 'Operator-set metadata.' },
} as const;

type AliasInput = { id?: string; canonical_id?: string; entity_id?: string; mount_accessor?: string; name?: string; custom_metadata?: Record<string, string> };

export function entityAliasPaths(deps: IdentityBackendDeps): PathDef<any>[] {
  const { store, mounts } = deps;

  async function requireEntityUpdate(req: LogicalRequest, entityId: string): Promise<void> {
    if (!(await deps.authorize(req.caller, `identity/entity/id/${entityId}`, 'update'))) throw new PermissionDenied();
  }

  async function write(req: LogicalRequest, d: AliasInput) {
    const canonicalId = d.canonical_id || d.entity_id || undefined;
    const existing = d.id ? await store.getAlias(d.id)
      : d.mount_accessor && d.name ? await store.aliasByFactors(d.mount_accessor, d.name) : undefined;
    if (d.id && !existing) throw new InvalidRequest('invalid alias ID provided');
    if (d.mount_accessor && !mounts.byAccessor(d.mount_accessor)) throw new InvalidRequest('invalid mount accessor');
    if (existing) {
      if (canonicalId && canonicalId !== existing.canonical_id) {
        await requireEntityUpdate(req, existing.canonical_id);
        await requireEntityUpdate(req, canonicalId);
      }
      const alias = await store.updateAlias(existing.id, { name: d.name, mountAccessor: d.mount_accessor, canonicalId, customMetadata: d.custom_metadata });
      return { data: { id: alias.id, canonical_id: alias.canonical_id } };
    }
    if (!d.mount_accessor || !d.name) throw new InvalidRequest("'id' or 'mount_accessor' and 'name' must be provided");
    if (canonicalId) await requireEntityUpdate(req, canonicalId);
    const alias = await store.createAlias({ name: d.name, mountAccessor: d.mount_accessor, canonicalId, customMetadata: d.custom_metadata });
    return { data: { id: alias.id, canonical_id: alias.canonical_id } };
  }

  return [
    path({
      pattern: 'entity-alias',
      fields: ALIAS_FIELDS,
      operations: { update: (req, d) => write(req, d) },
      synopsis: 'Create a new alias, or update one.',
    }),
    path({
      pattern: 'entity-alias/id/:id',
      fields: ALIAS_FIELDS,
      operations: {
        read: async (_req, d) => {
          const alias = await store.getAlias(d.id ?? '');
          return alias ? { data: aliasData(alias, mounts) } : undefined;
        },
        update: (req, d) => write(req, d),
        delete: async (_req, d) => {
          await store.deleteAlias(d.id ?? '');
          return undefined;
        },
      },
      synopsis: 'Read, update or delete an alias by id.',
    }),
    path({
      pattern: 'entity-alias/id/',
      operations: {
        list: async () => {
          const all = await store.listAliases();
          const keyInfo: Record<string, unknown> = {};
          for (const a of all) {
            const m = mounts.byAccessor(a.mount_accessor);
            keyInfo[a.id] = { canonical_id: a.canonical_id, custom_metadata: a.custom_metadata, local: false, mount_accessor: a.mount_accessor, mount_path: m ? `auth/${m.path}` : '', mount_type: m?.type ?? '', name: a.name };
          }
          return { data: { keys: all.map((a) => a.id).sort(), key_info: keyInfo } };
        },
      },
    }),
  ];
}
