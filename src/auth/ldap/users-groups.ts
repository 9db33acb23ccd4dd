/** auth/ldap/users/:name and groups/:name: local policies and group memberships. */
import { path, type PathDef } from '../../framework/path.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';

export interface LdapUserEntry { policies: string[]; groups: string[] }
export interface LdapGroupEntry { policies: string[] }

export const readLdapUser = (s: Pick<BarrierStorage, 'get'>, name: string) => getJson<LdapUserEntry>(s, `user/${name}`);
export const readLdapGroup = (s: Pick<BarrierStorage, 'get'>, name: string) => getJson<LdapGroupEntry>(s, `group/${name}`);

export function usersGroupsPaths(deps: { storage: BarrierStorage; caseSensitive: () => Promise<boolean> }): PathDef<any>[] {
  const { storage } = deps;
  const key = async (name: string) => ((await deps.caseSensitive()) ? name : name.toLowerCase());
  return [
    path({
      pattern: 'users/',
      operations: { list: async () => ({ data: { keys: (await storage.list('user/')).sort() } }) },
    }),
    path({
      pattern: 'users/:name',
      fields: { name: { type: 'string', required: true }, policies: { type: 'commaStringList' }, groups: { type: 'commaStringList' } } as const,
      operations: {
        read: async (_req, d) => {
          const user = await readLdapUser(storage, await key(d.name));
          return user ? { data: { policies: user.policies, groups: user.groups.join(',') } } : undefined;
        },
        update: async (_req, d) => {
          const name = await key(d.name);
          const current = (await readLdapUser(storage, name)) ?? { policies: [], groups: [] };
          await putJson(storage, `user/${name}`, { policies: d.policies ?? current.policies, groups: d.groups ?? current.groups });
          return undefined;
        },
        delete: async (_req, d) => { await storage.delete(`user/${await key(d.name)}`); return undefined; },
      },
      synopsis: 'Manage additional groups and policies of LDAP users.',
    }),
    path({
      pattern: 'groups/',
      operations: { list: async () => ({ data: { keys: (await storage.list('group/')).sort() } }) },
    }),
    path({
      pattern: 'groups/:name',
      fields: { name: { type: 'string', required: true }, policies: { type: 'commaStringList' } } as const,
      operations: {
        read: async (_req, d) => {
          const group = await readLdapGroup(storage, await key(d.name));
          return group ? { data: { policies: group.policies } } : undefined;
        },
        update: async (_req, d) => {
          await putJson(storage, `group/${await key(d.name)}`, { policies: d.policies ?? [] });
          return undefined;
        },
        delete: async (_req, d) => { await storage.delete(`group/${await key(d.name)}`); return undefined; },
      },
      synopsis: 'Map LDAP groups to policies.',
    }),
  ];
}
