/** auth/aws/role/:role (iam only): bound_iam_principal_arn (wildcards allowed) and token parameters. */
import { randomUUID } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';
import { TOKEN_FIELDS, defaultTokenParams, parseTokenParams, tokenParamsData, type TokenParams } from '../common/token-params.js';
import { validBindingPattern } from './arn.js';

export const AWS_ROLE_VERSION = 1;

export interface AwsRole extends TokenParams {
  v: number;
  role_id: string;
  auth_type: 'iam';
  bound_iam_principal_arn: string[];
  resolve_aws_unique_ids: boolean;
}

const roleKey = (name: string) => `role/${name.toLowerCase()}`;
export const readRole = (storage: Pick<BarrierStorage, 'get'>, name: string) => getJson<AwsRole>(storage, roleKey(name));

const FIELDS = {
  role: { type: 'string', required: true },
  auth_type: { type: 'string', description: 'Only "iam" is supported.' },
  bound_iam_principal_arn: { type: 'commaStringList', description: 'ARNs of IAM principals allowed to log in; may contain * wildcards.' },
  resolve_aws_unique_ids: { type: 'bool', description: 'Accepted for compatibility; unique IDs are not resolved (needs IAM API access).' },
  ...TOKEN_FIELDS,
} as const;

export function rolePaths(deps: { storage: BarrierStorage }): PathDef<any>[] {
  const { storage } = deps;
  const list = async () => ({ data: { keys: (await storage.list('role/')).sort() } });
  return [
    path({ pattern: 'role/', operations: { list }, synopsis: 'List the roles.' }),
    path({ pattern: 'roles/', operations: { list }, synopsis: 'List the roles.' }),
    path({
      pattern: 'role/:role',
      fields: FIELDS,
      existenceCheck: async (_req, d) => (await readRole(storage, d.role)) !== undefined,
      operations: {
        read: async (_req, d) => {
          const role = await readRole(storage, d.role);
          if (!role) return undefined;
          return { data: { auth_type: role.auth_type, bound_iam_principal_arn: [...role.bound_iam_principal_arn], resolve_aws_unique_ids: role.resolve_aws_unique_ids, role_id: role.role_id, ...tokenParamsData(role) } };
        },
        create: async (_req, d) => write(d),
        update: async (_req, d) => write(d),
        delete: async (_req, d) => { await storage.delete(roleKey(d.role)); return undefined; },
      },
      synopsis: 'Manage the roles principals log in to.',
    }),
  ];

  async function write(d: any) {
    const name: string = d.role.trim();
    if (!/^[\w.@-]{1,128}$/.test(name)) throw new InvalidRequest('role name may only contain letters, digits and _ . @ -');
    const current = (await readRole(storage, name)) ?? {
      v: AWS_ROLE_VERSION, role_id: randomUUID(), auth_type: 'iam' as const, bound_iam_principal_arn: [], resolve_aws_unique_ids: false, ...defaultTokenParams(),
    };
    const next: AwsRole = { ...current, ...parseTokenParams(d, current) };
    if (d.auth_type !== undefined && d.auth_type !== 'iam') throw new InvalidRequest(`auth_type "${d.auth_type === 'ec2' ? 'ec2' : 'other'}" is not supported; only "iam" is`);
    if (d.bound_iam_principal_arn !== undefined) {
      const arns = d.bound_iam_principal_arn as string[];
      const bad = arns.findIndex((a) => !validBindingPattern(a));
      if (bad >= 0) throw new InvalidRequest(`bound_iam_principal_arn entry ${bad + 1} is not an ARN (arn:partition:iam::account:type/name, * allowed)`);
      next.bound_iam_principal_arn = arns;
    }
    const warnings: string[] = [];
    if (d.resolve_aws_unique_ids === true) warnings.push('resolve_aws_unique_ids is not supported; principals are bound by ARN');
    if (next.bound_iam_principal_arn.length === 0) throw new InvalidRequest('at least one bound parameter should be specified on the role');
    await putJson(storage, roleKey(name), next);
    return warnings.length ? { data: {}, warnings } : undefined;
  }
}
