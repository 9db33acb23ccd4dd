/**
 * sys/capabilities (token + paths), sys/capabilities-self (the caller's token) and
 * sys/capabilities-accessor (accessor + paths): `data: {"<path>": [caps]}` plus
 * `capabilities` when exactly one path was asked (Vault's backwards compatibility).
 * Capabilities are evaluated like a LIST request; root tokens report `["root"]`.
 */
import { effectivePolicies } from '../policy/effective.js';
import { InvalidRequest } from '../../errors.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import type { PolicyAclProvider } from '../policy/acl-cache.js';
import type { TokenEntry } from '../tokens/entry.js';
import type { SysContext } from './context.js';

const PATH_FIELDS = {
  paths: { type: 'commaStringList', description: 'Paths on which capabilities are checked.' },
  path: { type: 'commaStringList', description: 'Deprecated: use "paths".' },
} as const;

/** The capabilities path group; empty when the server was composed without an ACL provider. */
export function capabilitiesPaths(ctx: SysContext) {
  return ctx.acl ? capabilitiesPathsFor(ctx, ctx.acl) : { paths: [] };
}

function capabilitiesPathsFor(ctx: SysContext, acls: PolicyAclProvider) {

  async function respond(policies: readonly string[], data: { paths?: string[]; path?: string[] }): Promise<LogicalResponse> {
    const paths = data.paths && data.paths.length > 0 ? data.paths : data.path ?? [];
    if (paths.length === 0) throw new InvalidRequest('missing path');
    const acl = await acls.aclFor(policies);
    const out: Record<string, unknown> = {};
    for (const p of paths) out[p] = acl.capabilities(p);
    if (paths.length === 1) out.capabilities = out[paths[0]];
    return { data: out };
  }

  function policiesOf(entry: TokenEntry | undefined, what: 'token' | 'accessor'): Promise<string[]> {
    if (!entry) throw new InvalidRequest(`invalid ${what}`);
    return effectivePolicies(entry.policies, entry.entityId, ctx.identity);
  }

  return {
    paths: [
      path({
        pattern: 'capabilities',
        synopsis: "A token's capabilities on the given paths.",
        fields: { token: { type: 'string', description: 'The token to check.' }, ...PATH_FIELDS },
        operations: {
          update: async (_req, data) => {
            if (!data.token) throw new InvalidRequest('missing token');
            return respond(await policiesOf(await ctx.core.tokens.lookup(data.token), 'token'), data);
          },
        },
      }),
      path({
        pattern: 'capabilities-self',
        synopsis: "The calling token's capabilities on the given paths.",
        fields: PATH_FIELDS,
        operations: {
          update: async (req, data) => {
            if (!req.caller) throw new InvalidRequest('missing token');
            return respond(await effectivePolicies(req.caller.policies, req.caller.entityId, ctx.identity), data);
          },
        },
      }),
      path({
        pattern: 'capabilities-accessor',
        synopsis: 'The capabilities, on the given paths, of the token with this accessor.',
        fields: { accessor: { type: 'string', description: 'Accessor of the token to check.' }, ...PATH_FIELDS },
        operations: {
          update: async (_req, data) => {
            if (!data.accessor) throw new InvalidRequest('missing accessor');
            return respond(await policiesOf(await ctx.core.tokens.lookupByAccessor(data.accessor), 'accessor'), data);
          },
        },
      }),
    ],
  };
}
