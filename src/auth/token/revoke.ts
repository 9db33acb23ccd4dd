/** auth/token/revoke, revoke-self, revoke-accessor, revoke-orphan. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { LogicalResponse } from '../../framework/logical.js';
import type { TokenEntry } from '../../core/tokens/entry.js';
import { callerEntry, callerHasSudo, type TokenBackendDeps } from './deps.js';

export function revokePaths(deps: TokenBackendDeps): PathDef<any>[] {
  const { tokens } = deps;

  async function revokeTree(entry: TokenEntry | undefined): Promise<LogicalResponse | void> {
    if (!entry) return undefined; // Vault: revoking an unknown token is not an error
    if (entry.type === 'batch') throw new InvalidRequest('batch tokens cannot be revoked');
    await tokens.revokeTree(entry);
    return undefined;
  }

  return [
    path({
      pattern: 'revoke',
      fields: { token: { type: 'string', description: 'Token to revoke, with its children' } } as const,
      operations: {
        update: async (req, d) => {
          if (!d.token) throw new InvalidRequest('missing token ID');
          return revokeTree(d.token === req.clientToken ? await callerEntry(deps, req) : await tokens.lookup(d.token));
        },
      },
      synopsis: 'Revoke a token and all its children',
    }),
    path({
      pattern: 'revoke-self',
      operations: { update: async (req) => revokeTree(await callerEntry(deps, req)) },
      synopsis: "Revoke the caller's token and all its children",
    }),
    path({
      pattern: 'revoke-accessor',
      fields: { accessor: { type: 'string' } } as const,
      operations: {
        update: async (_req, d) => {
          if (!d.accessor) throw new InvalidRequest('missing accessor');
          const entry = await tokens.lookupByAccessor(d.accessor);
          if (!entry) return { warnings: ['No token found with this accessor'] };
          return revokeTree(entry);
        },
      },
      synopsis: 'Revoke a token by its accessor, with its children',
    }),
    path({
      pattern: 'revoke-orphan',
      fields: { token: { type: 'string', description: 'Token to revoke; its children become orphans' } } as const,
      operations: {
        update: async (req, d) => {
          if (!d.token) throw new InvalidRequest('missing token ID');
          if (!(await callerHasSudo(deps, req))) throw new InvalidRequest('root or sudo privileges required to revoke and orphan');
          const entry = d.token === req.clientToken ? await callerEntry(deps, req) : await tokens.lookup(d.token);
          if (!entry) throw new InvalidRequest('token to revoke not found');
          if (entry.type === 'batch') throw new InvalidRequest('batch tokens cannot be revoked');
          await tokens.revokeOrphan(entry);
          return undefined;
        },
      },
      synopsis: 'Revoke a token, leaving its children alive as orphans',
    }),
  ];
}
