/**
 * The identity store: entities with one alias per auth mount, internal and external groups,
 * kept in memory (loaded at unseal) and written through to storage. Pure over storage; the
 * HTTP paths live in the files beside it.
 */
import { randomUUID } from 'node:crypto';
import type { BarrierStorage } from '../../barrier/types.js';
import { InvalidRequest, PermissionDenied } from '../../errors.js';
import type { AuthResult } from '../../framework/logical.js';
import { IDENTITY_ENTRY_VERSION, type Entity, type EntityAlias, type Group, type GroupAlias } from './types.js';

type Kind = 'entity' | 'alias' | 'group' | 'group-alias';

function nowIso(): string {
  return new Date().toISOString();
}

function cleanPolicies(list: readonly string[]): string[] {
  return [...new Set(list.map((p) => p.trim()).filter((p) => p !== ''))];
}

export function createIdentityStore(deps: { storage: BarrierStorage }) {
  const { storage } = deps;
  const entities = new Map<string, Entity>();
  const aliases = new Map<string, EntityAlias>();
  const groups = new Map<string, Group>();
  const groupAliases = new Map<string, GroupAlias>();
  let loaded: Promise<void> | undefined;
  /** Bumped by `unload`: a load still running from before must not fill the emptied maps. */
  let epoch = 0;

  async function loadKind<T extends { id: string }>(kind: Kind, into: Map<string, T>): Promise<void> {
    const startedAt = epoch;
    for (const id of await storage.list(`${kind}/`)) {
      const raw = await storage.get(`${kind}/${id}`);
      if (startedAt !== epoch) return;
      if (raw) {
        const value = JSON.parse(raw.toString('utf8')) as T;
        into.set(value.id, value);
      }
    }
  }

  async function ready(): Promise<void> {
    loaded ??= (async () => {
      await loadKind('entity', entities);
      await loadKind('alias', aliases);
      await loadKind('group', groups);
      await loadKind('group-alias', groupAliases);
    })();
    await loaded;
  }

  async function persist(kind: Kind, value: { id: string }): Promise<void> {
    await storage.put(`${kind}/${value.id}`, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  async function remove(kind: Kind, id: string): Promise<void> {
    await storage.delete(`${kind}/${id}`);
  }

  function entityByName(name: string): Entity | undefined {
    const wanted = name.toLowerCase();
    for (const e of entities.values()) if (e.name.toLowerCase() === wanted) return e;
    return undefined;
  }

  function groupByName(name: string): Group | undefined {
    const wanted = name.toLowerCase();
    for (const g of groups.values()) if (g.name.toLowerCase() === wanted) return g;
    return undefined;
  }

  function aliasByFactors(mountAccessor: string, name: string): EntityAlias | undefined {
    for (const a of aliases.values()) if (a.mount_accessor === mountAccessor && a.name === name) return a;
    return undefined;
  }

  function groupAliasByFactors(mountAccessor: string, name: string): GroupAlias | undefined {
    for (const a of groupAliases.values()) if (a.mount_accessor === mountAccessor && a.name === name) return a;
    return undefined;
  }

  function aliasesOf(entityId: string): EntityAlias[] {
    return [...aliases.values()].filter((a) => a.canonical_id === entityId);
  }

  function directGroupsOf(entityId: string): Group[] {
    return [...groups.values()].filter((g) => g.member_entity_ids.includes(entityId));
  }

  /** Groups that list `groupId` among their member groups, transitively (cycles tolerated). */
  function parentsOf(groupIds: string[]): Group[] {
    const seen = new Set(groupIds);
    const found: Group[] = [];
    let frontier = groupIds;
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const g of groups.values()) {
        if (seen.has(g.id)) continue;
        if (g.member_group_ids.some((m) => frontier.includes(m))) {
          seen.add(g.id);
          found.push(g);
          next.push(g.id);
        }
      }
      frontier = next;
    }
    return found;
  }

  function newEntity(input: { name?: string; metadata?: Record<string, string>; policies?: string[]; disabled?: boolean }): Entity {
    const id = randomUUID();
    const t = nowIso();
    return {
      v: IDENTITY_ENTRY_VERSION,
      id,
      name: input.name || `entity_${id.slice(0, 8)}`,
      metadata: input.metadata ?? {},
      policies: cleanPolicies(input.policies ?? []),
      disabled: input.disabled ?? false,
      creation_time: t,
      last_update_time: t,
      merged_entity_ids: [],
    };
  }

  return {
    ready,
    /** Forget the in-memory copy (seal; HA: another node changed it); the next use reloads from storage. */
    unload(): void {
      epoch++;
      entities.clear(); aliases.clear(); groups.clear(); groupAliases.clear();
      loaded = undefined;
    },

    // ---- entities
    async getEntity(id: string) { await ready(); return entities.get(id); },
    async entityByName(name: string) { await ready(); return entityByName(name); },
    async listEntities() { await ready(); return [...entities.values()]; },
    async aliasesOf(entityId: string) { await ready(); return aliasesOf(entityId); },

    async upsertEntity(input: { id?: string; name?: string; metadata?: Record<string, string>; policies?: string[]; disabled?: boolean }): Promise<{ entity: Entity; created: boolean }> {
      await ready();
      if (input.name !== undefined && input.name.includes('/')) throw new InvalidRequest('entity name cannot contain "/"');
      const existing = input.id ? entities.get(input.id) : input.name ? entityByName(input.name) : undefined;
      if (input.id && !existing) throw new InvalidRequest('entity not found from id');
      const sameName = input.name ? entityByName(input.name) : undefined;
      if (sameName && sameName.id !== existing?.id) throw new InvalidRequest('entity name is already in use');
      if (!existing) {
        const entity = newEntity(input);
        entities.set(entity.id, entity);
        await persist('entity', entity);
        return { entity, created: true };
      }
      const entity: Entity = {
        ...existing,
        name: input.name || existing.name,
        metadata: input.metadata ?? existing.metadata,
        policies: input.policies ? cleanPolicies(input.policies) : existing.policies,
        disabled: input.disabled ?? existing.disabled,
        last_update_time: nowIso(),
      };
      entities.set(entity.id, entity);
      await persist('entity', entity);
      return { entity, created: false };
    },

    async deleteEntity(id: string): Promise<boolean> {
      await ready();
      if (!entities.has(id)) return false;
      for (const a of aliasesOf(id)) { aliases.delete(a.id); await remove('alias', a.id); }
      for (const g of directGroupsOf(id)) {
        const updated = { ...g, member_entity_ids: g.member_entity_ids.filter((m) => m !== id), last_update_time: nowIso() };
        groups.set(g.id, updated);
        await persist('group', updated);
      }
      entities.delete(id);
      await remove('entity', id);
      return true;
    },

    // ---- entity aliases
    async getAlias(id: string) { await ready(); return aliases.get(id); },
    async aliasByFactors(mountAccessor: string, name: string) { await ready(); return aliasByFactors(mountAccessor, name); },
    async listAliases() { await ready(); return [...aliases.values()]; },

    /**
     * Creates an alias (on `canonicalId`, or on a new entity). An entity has at most one alias
     * per mount accessor.
     */
    async createAlias(input: { name: string; mountAccessor: string; canonicalId?: string; customMetadata?: Record<string, string> }): Promise<EntityAlias> {
      await ready();
      if (aliasByFactors(input.mountAccessor, input.name)) throw new InvalidRequest('alias with combination of mount accessor and name already exists');
      let entity = input.canonicalId ? entities.get(input.canonicalId) : undefined;
      if (input.canonicalId && !entity) throw new InvalidRequest('invalid canonical ID');
      if (entity && aliasesOf(entity.id).some((a) => a.mount_accessor === input.mountAccessor)) {
        throw new InvalidRequest('Alias already exists for requested entity and mount accessor');
      }
      if (!entity) {
        entity = newEntity({});
        entities.set(entity.id, entity);
        await persist('entity', entity);
      }
      const t = nowIso();
      const alias: EntityAlias = {
        v: IDENTITY_ENTRY_VERSION, id: randomUUID(), canonical_id: entity.id, mount_accessor: input.mountAccessor,
        name: input.name, metadata: {}, custom_metadata: input.customMetadata ?? {}, creation_time: t, last_update_time: t,
      };
      aliases.set(alias.id, alias);
      await persist('alias', alias);
      return alias;
    },

    /**
     * Updates an alias. Moving it to another entity (the 2021 alias-merge CVE) is refused when
     * the target already has an alias on that mount; the caller's authorisation on both
     * entities is checked by the path handler before this is called.
     */
    async updateAlias(id: string, input: { name?: string; mountAccessor?: string; canonicalId?: string; customMetadata?: Record<string, string> }): Promise<EntityAlias> {
      await ready();
      const alias = aliases.get(id);
      if (!alias) throw new InvalidRequest('invalid alias ID provided');
      const name = input.name || alias.name;
      const mountAccessor = input.mountAccessor || alias.mount_accessor;
      const canonicalId = input.canonicalId || alias.canonical_id;
      const clash = aliasByFactors(mountAccessor, name);
      if (clash && clash.id !== id) throw new InvalidRequest('alias with combination of mount accessor and name already exists');
      if (!entities.has(canonicalId)) throw new InvalidRequest("given 'canonical_id' is not associated with an entity");
      const siblings = aliasesOf(canonicalId).filter((a) => a.id !== id);
      if (siblings.some((a) => a.mount_accessor === mountAccessor)) {
        throw new InvalidRequest(canonicalId === alias.canonical_id
          ? "Alias cannot be updated as the entity already has an alias for the given 'mount_accessor' "
          : 'Alias cannot be updated as the given entity already has an alias for this mount ');
      }
      const updated: EntityAlias = {
        ...alias, name, mount_accessor: mountAccessor, canonical_id: canonicalId,
        custom_metadata: input.customMetadata ?? alias.custom_metadata, last_update_time: nowIso(),
      };
      aliases.set(id, updated);
      await persist('alias', updated);
      return updated;
    },

    async deleteAlias(id: string): Promise<boolean> {
      await ready();
      if (!aliases.delete(id)) return false;
      await remove('alias', id);
      return true;
    },

    // ---- groups
    async getGroup(id: string) { await ready(); return groups.get(id); },
    async groupByName(name: string) { await ready(); return groupByName(name); },
    async listGroups() { await ready(); return [...groups.values()]; },

    async upsertGroup(input: { id?: string; name?: string; type?: string; metadata?: Record<string, string>; policies?: string[]; memberEntityIds?: string[]; memberGroupIds?: string[] }): Promise<{ group: Group; created: boolean }> {
      await ready();
      const existing = input.id ? groups.get(input.id) : input.name ? groupByName(input.name) : undefined;
      if (input.id && !existing) throw new InvalidRequest('group not found from id');
      if (input.type !== undefined && input.type !== '' && input.type !== 'internal' && input.type !== 'external') throw new InvalidRequest('invalid group type');
      const type = (input.type || existing?.type || 'internal') as Group['type'];
      if (existing && existing.type !== type) throw new InvalidRequest('group type cannot be changed');
      if (input.name && groupByName(input.name) && groupByName(input.name)!.id !== existing?.id) throw new InvalidRequest('group name is already in use');
      for (const m of input.memberEntityIds ?? []) if (!entities.has(m)) throw new InvalidRequest(`invalid member entity ID`);
      for (const m of input.memberGroupIds ?? []) if (!groups.has(m)) throw new InvalidRequest(`invalid member group ID`);
      if (type === 'external' && (input.memberEntityIds?.length || input.memberGroupIds?.length)) {
        throw new InvalidRequest('member entities can\'t be set manually for external groups');
      }
      const t = nowIso();
      const id = existing?.id ?? randomUUID();
      if ((input.memberGroupIds ?? []).includes(id)) throw new InvalidRequest('group cannot be a member of itself');
      const group: Group = {
        v: IDENTITY_ENTRY_VERSION,
        id,
        name: input.name || existing?.name || `group_${id.slice(0, 8)}`,
        type,
        metadata: input.metadata ?? existing?.metadata ?? {},
        policies: input.policies ? cleanPolicies(input.policies) : existing?.policies ?? [],
        member_entity_ids: input.memberEntityIds ? [...new Set(input.memberEntityIds)] : existing?.member_entity_ids ?? [],
        member_group_ids: input.memberGroupIds ? [...new Set(input.memberGroupIds)] : existing?.member_group_ids ?? [],
        creation_time: existing?.creation_time ?? t,
        last_update_time: t,
      };
      groups.set(id, group);
      await persist('group', group);
      return { group, created: !existing };
    },

    async deleteGroup(id: string): Promise<boolean> {
      await ready();
      if (!groups.delete(id)) return false;
      await remove('group', id);
      for (const a of [...groupAliases.values()].filter((x) => x.canonical_id === id)) { groupAliases.delete(a.id); await remove('group-alias', a.id); }
      for (const g of groups.values()) {
        if (g.member_group_ids.includes(id)) {
          const updated = { ...g, member_group_ids: g.member_group_ids.filter((m) => m !== id) };
          groups.set(g.id, updated);
          await persist('group', updated);
        }
      }
      return true;
    },

    /** Direct groups of an entity, and the groups that contain those (inherited). */
    async groupsOfEntity(entityId: string): Promise<{ direct: Group[]; inherited: Group[] }> {
      await ready();
      const direct = directGroupsOf(entityId);
      return { direct, inherited: parentsOf(direct.map((g) => g.id)) };
    },

    /** Parent groups of a group (for group reads). */
    async parentGroupIds(groupId: string): Promise<string[]> {
      await ready();
      return [...groups.values()].filter((g) => g.member_group_ids.includes(groupId)).map((g) => g.id);
    },

    // ---- group aliases (external groups)
    async getGroupAlias(id: string) { await ready(); return groupAliases.get(id); },
    async listGroupAliases() { await ready(); return [...groupAliases.values()]; },
    async groupAliasOf(groupId: string) { await ready(); return [...groupAliases.values()].find((a) => a.canonical_id === groupId); },

    async upsertGroupAlias(input: { id?: string; name: string; mountAccessor: string; canonicalId: string }): Promise<GroupAlias> {
      await ready();
      const group = groups.get(input.canonicalId);
      if (!group) throw new InvalidRequest('invalid group ID given in \'canonical_id\'');
      if (group.type !== 'external') throw new InvalidRequest('alias can\'t be set on an internal group');
      const existing = input.id ? groupAliases.get(input.id) : undefined;
      if (input.id && !existing) throw new InvalidRequest('invalid group alias ID');
      const clash = groupAliasByFactors(input.mountAccessor, input.name);
      if (clash && clash.id !== existing?.id) throw new InvalidRequest('combination of mount and group alias name is already in use');
      const other = [...groupAliases.values()].find((a) => a.canonical_id === group.id && a.id !== existing?.id);
      if (other) throw new InvalidRequest('group already has an alias');
      const t = nowIso();
      const alias: GroupAlias = {
        v: IDENTITY_ENTRY_VERSION, id: existing?.id ?? randomUUID(), canonical_id: group.id, mount_accessor: input.mountAccessor,
        name: input.name, creation_time: existing?.creation_time ?? t, last_update_time: t,
      };
      groupAliases.set(alias.id, alias);
      await persist('group-alias', alias);
      return alias;
    },

    async deleteGroupAlias(id: string): Promise<boolean> {
      await ready();
      if (!groupAliases.delete(id)) return false;
      await remove('group-alias', id);
      return true;
    },

    // ---- core hooks
    /**
     * On a successful login: the entity behind (mount, alias name), created with its alias on
     * first login; external groups follow the login's group aliases. A disabled entity may not
     * log in.
     */
    async entityForLogin(mountAccessor: string, auth: AuthResult): Promise<string | undefined> {
      if (!auth.alias || auth.alias.name === '') return undefined;
      await ready();
      let alias = aliasByFactors(mountAccessor, auth.alias.name);
      if (!alias) {
        const entity = newEntity({});
        entities.set(entity.id, entity);
        await persist('entity', entity);
        const t = nowIso();
        alias = {
          v: IDENTITY_ENTRY_VERSION, id: randomUUID(), canonical_id: entity.id, mount_accessor: mountAccessor,
          name: auth.alias.name, metadata: auth.alias.metadata ?? {}, custom_metadata: {}, creation_time: t, last_update_time: t,
        };
        aliases.set(alias.id, alias);
        await persist('alias', alias);
      } else if (auth.alias.metadata && JSON.stringify(auth.alias.metadata) !== JSON.stringify(alias.metadata)) {
        alias = { ...alias, metadata: auth.alias.metadata, last_update_time: nowIso() };
        aliases.set(alias.id, alias);
        await persist('alias', alias);
      }
      const entity = entities.get(alias.canonical_id);
      if (!entity) return undefined;
      if (entity.disabled) throw new PermissionDenied();
      if (auth.groupAliases) await syncExternalGroups(entity.id, mountAccessor, auth.groupAliases);
      return entity.id;
    },

    /** Policies the entity's own record and its groups add to its tokens; `root` never. */
    async policiesFor(entityId: string): Promise<string[]> {
      if (entityId === '') return [];
      await ready();
      const entity = entities.get(entityId);
      if (!entity) return [];
      if (entity.disabled) throw new PermissionDenied();
      const direct = directGroupsOf(entityId);
      const all = [...direct, ...parentsOf(direct.map((g) => g.id))];
      return cleanPolicies([...entity.policies, ...all.flatMap((g) => g.policies)]).filter((p) => p !== 'root');
    },
  };

  /** External group membership follows the group names the auth method reported. */
  async function syncExternalGroups(entityId: string, mountAccessor: string, names: string[]): Promise<void> {
    const wanted = new Set<string>();
    for (const name of names) {
      const ga = groupAliasByFactors(mountAccessor, name);
      if (ga) wanted.add(ga.canonical_id);
    }
    for (const ga of groupAliases.values()) {
      if (ga.mount_accessor !== mountAccessor) continue;
      const group = groups.get(ga.canonical_id);
      if (!group || group.type !== 'external') continue;
      const member = group.member_entity_ids.includes(entityId);
      if (member === wanted.has(group.id)) continue;
      const updated = {
        ...group,
        member_entity_ids: member ? group.member_entity_ids.filter((m) => m !== entityId) : [...group.member_entity_ids, entityId],
        last_update_time: nowIso(),
      };
      groups.set(group.id, updated);
      await persist('group', updated);
    }
  }
}

export type IdentityStore = ReturnType<typeof createIdentityStore>;
