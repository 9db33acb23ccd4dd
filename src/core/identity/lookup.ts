/** identity/lookup/entity and lookup/group: find by one criterion, 204 when nothing matches. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { IdentityBackendDeps } from './deps.js';
import { entityData, groupData } from './render.js';

const LOOKUP_FIELDS = {
  type: { type: 'string' },
  name: { type: 'string' },
  id: { type: 'string' },
  alias_id: { type: 'string' },
  alias_name: { type: 'string' },
  alias_mount_accessor: { type: 'string' },
} as const;

function onlyOne(d: { name?: string; id?: string; alias_id?: string; alias_name?: string; alias_mount_accessor?: string }): void {
  const given = [d.name, d.id, d.alias_id, d.alias_name || d.alias_mount_accessor ? 'alias' : undefined].filter((v) => v !== undefined && v !== '');
  if (given.length === 0) throw new InvalidRequest('one of name, id, alias_id or (alias_name and alias_mount_accessor) must be given');
  if (given.length > 1) throw new InvalidRequest('only one of name, id, alias_id or (alias_name and alias_mount_accessor) may be given');
  if ((d.alias_name || d.alias_mount_accessor) && !(d.alias_name && d.alias_mount_accessor)) {
    throw new InvalidRequest("both 'alias_name' and 'alias_mount_accessor' must be given");
  }
}

export function lookupPaths(deps: IdentityBackendDeps): PathDef<any>[] {
  const { store, mounts } = deps;
  return [
    path({
      pattern: 'lookup/entity',
      fields: LOOKUP_FIELDS,
      operations: {
        update: async (_req, d) => {
          onlyOne(d);
          let entity;
          if (d.id) entity = await store.getEntity(d.id);
          else if (d.name) entity = await store.entityByName(d.name);
          else {
            const alias = d.alias_id ? await store.getAlias(d.alias_id) : await store.aliasByFactors(d.alias_mount_accessor!, d.alias_name!);
            entity = alias ? await store.getEntity(alias.canonical_id) : undefined;
          }
          return entity ? { data: await entityData(entity, store, mounts) } : undefined;
        },
      },
      synopsis: 'Query an entity by name, id or alias.',
    }),
    path({
      pattern: 'lookup/group',
      fields: LOOKUP_FIELDS,
      operations: {
        update: async (_req, d) => {
          onlyOne(d);
          let group;
          if (d.id) group = await store.getGroup(d.id);
          else if (d.name) group = await store.groupByName(d.name);
          else {
            const all = await store.listGroupAliases();
            const alias = d.alias_id ? all.find((a) => a.id === d.alias_id) : all.find((a) => a.name === d.alias_name && a.mount_accessor === d.alias_mount_accessor);
            group = alias ? await store.getGroup(alias.canonical_id) : undefined;
          }
          return group ? { data: await groupData(group, store, mounts) } : undefined;
        },
      },
      synopsis: 'Query a group by name, id or alias.',
    }),
  ];
}
