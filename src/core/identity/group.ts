/** identity/group, group/id/:id, group/name/:name, group-alias, group-alias/id/:id. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { IdentityBackendDeps } from './deps.js';
import { groupAliasData, groupData } from './render.js';

const GROUP_FIELDS = {
  id: { type: 'string' },
  name: { type: 'string' },
  type: { type: 'string', description: 'internal (default) or external.' },
  metadata: { type: 'keyPairs' },
  policies: { type: 'commaStringList' },
  member_entity_ids: { type: 'commaStringList' },
  member_group_ids: { type: 'commaStringList' },
} as const;

const GROUP_ALIAS_FIELDS = {
  id: { type: 'string' },
  name: { type: 'string' },
  mount_accessor: { type: 'string' },
  canonical_id: { type: 'string' },
} as const;

export function groupPaths(deps: IdentityBackendDeps): PathDef<any>[] {
  const { store, mounts } = deps;
  type GroupInput = { id?: string; name?: string; type?: string; metadata?: Record<string, string>; policies?: string[]; member_entity_ids?: string[]; member_group_ids?: string[] };
  const upsert = (d: GroupInput, id?: string) => store.upsertGroup({
    id, name: d.name, type: d.type, metadata: d.metadata, policies: d.policies, memberEntityIds: d.member_entity_ids, memberGroupIds: d.member_group_ids,
  });

  return [
    path({
      pattern: 'group',
      fields: GROUP_FIELDS,
      operations: {
        update: async (_req, d) => {
          const { group } = await upsert(d, d.id || undefined);
          return { data: { id: group.id, name: group.name } };
        },
      },
      synopsis: 'Create a new group, or update one by id.',
    }),
    path({
      pattern: 'group/id/:id',
      fields: GROUP_FIELDS,
      operations: {
        read: async (_req, d) => {
          const group = await store.getGroup(d.id ?? '');
          return group ? { data: await groupData(group, store, mounts) } : undefined;
        },
        update: async (_req, d) => {
          const { group } = await upsert(d, d.id);
          return { data: { id: group.id, name: group.name } };
        },
        delete: async (_req, d) => { await store.deleteGroup(d.id ?? ''); return undefined; },
      },
    }),
    path({
      pattern: 'group/id/',
      operations: {
        list: async () => {
          const all = await store.listGroups();
          const keyInfo: Record<string, unknown> = {};
          for (const g of all) keyInfo[g.id] = { name: g.name, num_member_entities: g.member_entity_ids.length, num_parent_groups: (await store.parentGroupIds(g.id)).length };
          return { data: { keys: all.map((g) => g.id).sort(), key_info: keyInfo } };
        },
      },
    }),
    path({
      pattern: 'group/name/:name',
      fields: GROUP_FIELDS,
      operations: {
        read: async (_req, d) => {
          const group = await store.groupByName(d.name ?? '');
          return group ? { data: await groupData(group, store, mounts) } : undefined;
        },
        update: async (_req, d) => {
          const existing = await store.groupByName(d.name ?? '');
          const { group, created } = await upsert(d, existing?.id);
          return created ? { data: { id: group.id, name: group.name } } : undefined;
        },
        delete: async (_req, d) => {
          const group = await store.groupByName(d.name ?? '');
          if (group) await store.deleteGroup(group.id);
          return undefined;
        },
      },
    }),
    path({
      pattern: 'group/name/',
      operations: { list: async () => ({ data: { keys: (await store.listGroups()).map((g) => g.name).sort() } }) },
    }),
    path({
      pattern: 'group-alias',
      fields: GROUP_ALIAS_FIELDS,
      operations: {
        update: async (_req, d) => {
          if (!d.name || !d.mount_accessor || !d.canonical_id) throw new InvalidRequest("'name', 'mount_accessor' and 'canonical_id' are required");
          if (!mounts.byAccessor(d.mount_accessor)) throw new InvalidRequest('invalid mount accessor');
          const alias = await store.upsertGroupAlias({ id: d.id || undefined, name: d.name, mountAccessor: d.mount_accessor, canonicalId: d.canonical_id });
          return { data: { id: alias.id, canonical_id: alias.canonical_id } };
        },
      },
    }),
    path({
      pattern: 'group-alias/id/:id',
      fields: GROUP_ALIAS_FIELDS,
      operations: {
        read: async (_req, d) => {
          const alias = await store.getGroupAlias(d.id ?? '');
          return alias ? { data: groupAliasData(alias, mounts) } : undefined;
        },
        update: async (_req, d) => {
          const existing = await store.getGroupAlias(d.id ?? '');
          if (!existing) throw new InvalidRequest('invalid group alias ID');
          const alias = await store.upsertGroupAlias({
            id: existing.id, name: d.name || existing.name, mountAccessor: d.mount_accessor || existing.mount_accessor, canonicalId: d.canonical_id || existing.canonical_id,
          });
          return { data: { id: alias.id, canonical_id: alias.canonical_id } };
        },
        delete: async (_req, d) => { await store.deleteGroupAlias(d.id ?? ''); return undefined; },
      },
    }),
    path({
      pattern: 'group-alias/id/',
      operations: { list: async () => ({ data: { keys: (await store.listGroupAliases()).map((a) => a.id).sort() } }) },
    }),
  ];
}
