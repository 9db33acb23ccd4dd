/** Wire shapes of identity objects, as Vault's identity store returns them. */
import type { IdentityStore } from './store.js';
import type { Entity, EntityAlias, Group, GroupAlias, MountLookup } from './types.js';

export function aliasData(alias: EntityAlias, mounts: MountLookup): Record<string, unknown> {
  const mount = mounts.byAccessor(alias.mount_accessor);
  return {
    canonical_id: alias.canonical_id,
    creation_time: alias.creation_time,
    custom_metadata: alias.custom_metadata,
    id: alias.id,
    last_update_time: alias.last_update_time,
    local: false,
    merged_from_canonical_ids: null,
    metadata: alias.metadata,
    mount_accessor: alias.mount_accessor,
    mount_path: mount ? (mount.table === 'auth' ? `auth/${mount.path}` : mount.path) : '',
    mount_type: mount?.type ?? '',
    name: alias.name,
    namespace_id: 'root',
  };
}

export async function entityData(entity: Entity, store: IdentityStore, mounts: MountLookup): Promise<Record<string, unknown>> {
  const { direct, inherited } = await store.groupsOfEntity(entity.id);
  const directIds = direct.map((g) => g.id);
  const inheritedIds = inherited.map((g) => g.id);
  return {
    aliases: (await store.aliasesOf(entity.id)).map((a) => aliasData(a, mounts)),
    creation_time: entity.creation_time,
    direct_group_ids: directIds,
    disabled: entity.disabled,
    group_ids: [...directIds, ...inheritedIds],
    id: entity.id,
    inherited_group_ids: inheritedIds,
    last_update_time: entity.last_update_time,
    merged_entity_ids: entity.merged_entity_ids.length > 0 ? entity.merged_entity_ids : null,
    metadata: Object.keys(entity.metadata).length > 0 ? entity.metadata : null,
    name: entity.name,
    namespace_id: 'root',
    policies: entity.policies,
  };
}

export function groupAliasData(alias: GroupAlias, mounts: MountLookup): Record<string, unknown> {
  const mount = mounts.byAccessor(alias.mount_accessor);
  return {
    canonical_id: alias.canonical_id,
    creation_time: alias.creation_time,
    id: alias.id,
    last_update_time: alias.last_update_time,
    merged_from_canonical_ids: null,
    metadata: null,
    mount_accessor: alias.mount_accessor,
    mount_path: mount ? `auth/${mount.path}` : '',
    mount_type: mount?.type ?? '',
    name: alias.name,
    namespace_id: 'root',
  };
}

export async function groupData(group: Group, store: IdentityStore, mounts: MountLookup): Promise<Record<string, unknown>> {
  const alias = await store.groupAliasOf(group.id);
  return {
    alias: alias ? groupAliasData(alias, mounts) : {},
    creation_time: group.creation_time,
    id: group.id,
    last_update_time: group.last_update_time,
    member_entity_ids: group.member_entity_ids,
    member_group_ids: group.member_group_ids.length > 0 ? group.member_group_ids : null,
    metadata: Object.keys(group.metadata).length > 0 ? group.metadata : null,
    modify_index: 0,
    name: group.name,
    namespace_id: 'root',
    parent_group_ids: await store.parentGroupIds(group.id),
    policies: group.policies,
    type: group.type,
  };
}
