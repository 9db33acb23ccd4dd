/** identity/entity, entity/id/:id, entity/name/:name and their lists. */
import { path, type PathDef } from '../../framework/path.js';
import type { IdentityBackendDeps } from './deps.js';
import { entityData } from './render.js';

const ENTITY_FIELDS = {
  name: { type: 'string', description: 'Name of the entity.' },
  id: { type: 'string', description: 'ID of the entity; when set, the entity is updated.' },
  metadata: { type: 'keyPairs', description: 'Metadata: key=value pairs.' },
  policies: { type: 'commaStringList', description: 'Policies tokens of this entity gain.' },
  disabled: { type: 'bool', description: 'A disabled entity cannot log in or use its tokens.' },
} as const;

export function entityPaths(deps: IdentityBackendDeps): PathDef<any>[] {
  const { store, mounts } = deps;
  return [
    path({
      pattern: 'entity',
      fields: ENTITY_FIELDS,
      operations: {
        update: async (_req, d) => {
          const { entity } = await store.upsertEntity({ id: d.id || undefined, name: d.name, metadata: d.metadata, policies: d.policies, disabled: d.disabled });
          return { data: { id: entity.id, name: entity.name } };
        },
      },
      synopsis: 'Create a new entity, or update one by id.',
    }),
    path({
      pattern: 'entity/id/:id',
      fields: ENTITY_FIELDS,
      operations: {
        read: async (_req, d) => {
          const entity = await store.getEntity(d.id ?? '');
          return entity ? { data: await entityData(entity, store, mounts) } : undefined;
        },
        update: async (_req, d) => {
          const { entity } = await store.upsertEntity({ id: d.id, name: d.name, metadata: d.metadata, policies: d.policies, disabled: d.disabled });
          return { data: { id: entity.id, name: entity.name } };
        },
        delete: async (_req, d) => {
          await store.deleteEntity(d.id ?? '');
          return undefined;
        },
      },
      synopsis: 'Read, update or delete an entity by its id.',
    }),
    path({
      pattern: 'entity/id/',
      operations: {
        list: async () => {
          const all = await store.listEntities();
          const keyInfo: Record<string, unknown> = {};
          for (const e of all) {
            keyInfo[e.id] = {
              name: e.name,
              aliases: (await store.aliasesOf(e.id)).map((a) => ({ id: a.id, mount_accessor: a.mount_accessor, name: a.name })),
            };
          }
          return { data: { keys: all.map((e) => e.id).sort(), key_info: keyInfo } };
        },
      },
    }),
    path({
      pattern: 'entity/name/:name',
      fields: ENTITY_FIELDS,
      operations: {
        read: async (_req, d) => {
          const entity = await store.entityByName(d.name ?? '');
          return entity ? { data: await entityData(entity, store, mounts) } : undefined;
        },
        update: async (_req, d) => {
          const existing = await store.entityByName(d.name ?? '');
          const { entity, created } = await store.upsertEntity({ id: existing?.id, name: d.name, metadata: d.metadata, policies: d.policies, disabled: d.disabled });
          return created ? { data: { id: entity.id, name: entity.name } } : undefined;
        },
        delete: async (_req, d) => {
          const entity = await store.entityByName(d.name ?? '');
          if (entity) await store.deleteEntity(entity.id);
          return undefined;
        },
      },
      synopsis: 'Read, create/update or delete an entity by its name.',
    }),
    path({
      pattern: 'entity/name/',
      operations: {
        list: async () => ({ data: { keys: (await store.listEntities()).map((e) => e.name).sort() } }),
      },
    }),
  ];
}
