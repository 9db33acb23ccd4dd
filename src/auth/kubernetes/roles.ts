/** auth/kubernetes/role/:role: bound service-account names and namespaces, audience, token parameters. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';
import { TOKEN_FIELDS, defaultTokenParams, parseTokenParams, tokenParamsData, type TokenParams } from '../common/token-params.js';

export const K8S_ROLE_VERSION = 1;

export interface KubernetesRole extends TokenParams {
  v: number;
  bound_service_account_names: string[];
  bound_service_account_namespaces: string[];
  audience: string;
  alias_name_source: 'serviceaccount_uid' | 'serviceaccount_name';
}

const roleKey = (name: string) => `role/${name.toLowerCase()}`;
export const readK8sRole = (storage: Pick<BarrierStorage, 'get'>, name: string) => getJson<KubernetesRole>(storage, roleKey(name));

/** Exact names, `*` for any, or a glob with `*` (Vault's bound names allow globs). */
export function boundMatches(bound: readonly string[], value: string): boolean {
  return bound.some((pattern) => {
    if (pattern === '*') return true;
    if (!pattern.includes('*')) return pattern === value;
    const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
    return re.test(value);
  });
}

const FIELDS = {
  role: { type: 'string', required: true },
  bound_service_account_names: { type: 'commaStringList', description: 'Service-account names allowed; "*" for any.' },
  bound_service_account_namespaces: { type: 'commaStringList', description: 'Namespaces allowed; "*" for any.' },
  audience: { type: 'string', description: 'Audience the service-account JWT must carry.' },
  alias_name_source: { type: 'string', description: 'serviceaccount_uid (default) or serviceaccount_name.' },
  ...TOKEN_FIELDS,
} as const;

export function rolePaths(deps: { storage: BarrierStorage }): PathDef<any>[] {
  const { storage } = deps;
  return [
    path({ pattern: 'role/', operations: { list: async () => ({ data: { keys: (await storage.list('role/')).sort() } }) }, synopsis: 'List the roles.' }),
    path({
      pattern: 'role/:role',
      fields: FIELDS,
      existenceCheck: async (_req, d) => (await readK8sRole(storage, d.role)) !== undefined,
      operations: {
        read: async (_req, d) => {
          const role = await readK8sRole(storage, d.role);
          if (!role) return undefined;
          return { data: { bound_service_account_names: [...role.bound_service_account_names], bound_service_account_namespaces: [...role.bound_service_account_namespaces], audience: role.audience, alias_name_source: role.alias_name_source, ...tokenParamsData(role) } };
        },
        create: async (_req, d) => write(d),
        update: async (_req, d) => write(d),
        delete: async (_req, d) => { await storage.delete(roleKey(d.role)); return undefined; },
      },
      synopsis: 'Manage the roles service accounts log in to.',
    }),
  ];

  async function write(d: any) {
    const name: string = d.role.trim();
    if (!/^[\w.@-]{1,128}$/.test(name)) throw new InvalidRequest('role name may only contain letters, digits and _ . @ -');
    const current: KubernetesRole = (await readK8sRole(storage, name)) ?? {
      v: K8S_ROLE_VERSION, bound_service_account_names: [], bound_service_account_namespaces: [], audience: '', alias_name_source: 'serviceaccount_uid', ...defaultTokenParams(),
    };
    const next: KubernetesRole = { ...current, ...parseTokenParams(d, current) };
    if (d.bound_service_account_names !== undefined) next.bound_service_account_names = d.bound_service_account_names;
    if (d.bound_service_account_namespaces !== undefined) next.bound_service_account_namespaces = d.bound_service_account_namespaces;
    if (d.audience !== undefined) next.audience = d.audience;
    if (d.alias_name_source !== undefined) {
      if (d.alias_name_source !== 'serviceaccount_uid' && d.alias_name_source !== 'serviceaccount_name') throw new InvalidRequest('alias_name_source must be serviceaccount_uid or serviceaccount_name');
      next.alias_name_source = d.alias_name_source;
    }
    if (next.bound_service_account_names.length === 0) throw new InvalidRequest('"bound_service_account_names" can not be empty');
    if (next.bound_service_account_namespaces.length === 0) throw new InvalidRequest('"bound_service_account_namespaces" can not be empty');
    if (next.bound_service_account_names.length === 1 && next.bound_service_account_names[0] === '*'
      && next.bound_service_account_namespaces.length === 1 && next.bound_service_account_namespaces[0] === '*') {
      throw new InvalidRequest('service_account_names and service_account_namespaces can not both be "*"');
    }
    await putJson(storage, roleKey(name), next);
    return undefined;
  }
}
