/** auth/github/map/teams/:key and map/users/:key: team and user names → policies (Vault's `value`). */
import { path, type PathDef } from '../../framework/path.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';

export type MapKind = 'teams' | 'users';

interface MapEntry { value: string[] }

/** GitHub logins and team slugs are case-insensitive; so are the keys here (as in Vault). */
const keyOf = (kind: MapKind, name: string) => `map/${kind}/${name.toLowerCase()}`;

export async function mappedPolicies(storage: Pick<BarrierStorage, 'get'>, kind: MapKind, name: string): Promise<string[]> {
  return (await getJson<MapEntry>(storage, keyOf(kind, name)))?.value ?? [];
}

function mapPaths(storage: BarrierStorage, kind: MapKind): PathDef<any>[] {
  return [
    path({
      pattern: `map/${kind}/`,
      operations: { list: async () => ({ data: { keys: (await storage.list(`map/${kind}/`)).sort() } }) },
      synopsis: `List the mapped ${kind}.`,
    }),
    path({
      pattern: `map/${kind}/:key`,
      fields: { key: { type: 'string', required: true }, value: { type: 'commaStringList', description: 'Comma-separated policies.' } } as const,
      operations: {
        read: async (_req, d) => {
          const entry = await getJson<MapEntry>(storage, keyOf(kind, d.key));
          return entry ? { data: { key: d.key, value: entry.value.join(',') } } : undefined;
        },
        update: async (_req, d) => {
          await putJson(storage, keyOf(kind, d.key), { value: d.value ?? [] } satisfies MapEntry);
          return undefined;
        },
        delete: async (_req, d) => { await storage.delete(keyOf(kind, d.key)); return undefined; },
      },
      synopsis: `Map GitHub ${kind} to policies.`,
    }),
  ];
}

export function mapsPaths(deps: { storage: BarrierStorage }): PathDef<any>[] {
  return [...mapPaths(deps.storage, 'teams'), ...mapPaths(deps.storage, 'users')];
}
