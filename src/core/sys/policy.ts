/**
 * ACL policies: the legacy `sys/policy[/:name]` (reads `rules`, top-level injected) and
 * `sys/policies/acl[/:name]` (reads `policy`). Lists include the virtual `root`; the hidden
 * `response-wrapping` is never listed. Names are trimmed and lower-cased by the store.
 */
import { InvalidRequest } from '../../errors.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { ROOT_POLICY_NAME } from '../policy/builtin.js';
import type { PolicyStore } from '../policy/store.js';
import type { SysContext } from './context.js';

const NAME_FIELD = { name: { type: 'string', required: true, description: 'Name of the policy (case-insensitive).' } } as const;

export const RULES_DEPRECATION_WARNING = "'rules' is deprecated, please use 'policy' instead";

/** The policy path group; empty when the server was composed without a policy store. */
export function policyPaths(ctx: SysContext) {
  return ctx.policies ? policyPathsFor(ctx.policies) : { paths: [] };
}

function policyPathsFor(store: PolicyStore) {

  async function listNames(): Promise<string[]> {
    return [...(await store.list()), ROOT_POLICY_NAME];
  }

  async function legacyList(): Promise<LogicalResponse> {
    const keys = await listNames();
    return { data: { keys, policies: keys } };
  }

  async function read(name: string, field: 'rules' | 'policy'): Promise<LogicalResponse | undefined> {
    const policy = await store.get(name);
    if (!policy) return undefined; // 404
    return { data: { name: policy.name, [field]: policy.raw } };
  }

  async function write(name: string, text: string | undefined, warnings: string[]): Promise<LogicalResponse | undefined> {
    if (text === undefined || text === '') throw new InvalidRequest("'policy' parameter not supplied or empty");
    await store.set(name, text);
    return warnings.length > 0 ? { warnings } : undefined;
  }

  return {
    paths: [
      path({
        pattern: 'policy',
        synopsis: 'List the configured ACL policies (legacy).',
        operations: { read: legacyList, list: legacyList },
      }),
      path({
        pattern: 'policy/',
        synopsis: 'List the configured ACL policies (legacy).',
        operations: { list: legacyList },
      }),
      path({
        pattern: 'policy/:name',
        synopsis: 'Read, write or delete an ACL policy (legacy; reads return `rules`).',
        fields: {
          ...NAME_FIELD,
          policy: { type: 'string', description: 'The policy document (HCL or JSON).' },
          rules: { type: 'string', description: "Deprecated alias of 'policy'." },
        },
        operations: {
          read: (_req, data) => read(data.name, 'rules'),
          update: (_req, data) => {
            if (data.policy === undefined || data.policy === '') {
              const warnings = data.rules !== undefined && data.rules !== '' ? [RULES_DEPRECATION_WARNING] : [];
              return write(data.name, data.rules, warnings);
            }
            return write(data.name, data.policy, []);
          },
          delete: async (_req, data) => { await store.delete(data.name); },
        },
      }),
      path({
        pattern: 'policies/acl/',
        synopsis: 'List the configured ACL policies.',
        operations: { list: async () => ({ data: { keys: await listNames() } }) },
      }),
      path({
        pattern: 'policies/acl/:name',
        synopsis: 'Read, write or delete an ACL policy (the policy may be sent base64-encoded).',
        fields: {
          ...NAME_FIELD,
          policy: { type: 'string', description: 'The policy document (HCL or JSON, optionally base64).' },
        },
        operations: {
          read: (_req, data) => read(data.name, 'policy'),
          update: (_req, data) => write(data.name, data.policy, []),
          delete: async (_req, data) => { await store.delete(data.name); },
        },
      }),
    ],
  };
}
