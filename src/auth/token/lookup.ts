/** auth/token/lookup, lookup-self, lookup-accessor. */
import { InvalidRequest, PermissionDenied } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import type { TokenEntry } from '../../core/tokens/entry.js';
import { callerEntry, type TokenBackendDeps } from './deps.js';
import { lookupData } from './render.js';

export function lookupPaths(deps: TokenBackendDeps): PathDef<any>[] {
  const { tokens } = deps;

  function respond(entry: TokenEntry | undefined, id: string): LogicalResponse {
    if (!entry) throw new PermissionDenied('bad token');
    return { data: lookupData(entry, id, tokens.now()) };
  }

  async function lookupSelf(req: LogicalRequest): Promise<LogicalResponse> {
    if (!req.clientToken) throw new InvalidRequest('missing token ID');
    return respond(await callerEntry(deps, req), req.clientToken);
  }

  async function lookupToken(req: LogicalRequest, token: string | undefined): Promise<LogicalResponse> {
    if (!token || token === req.clientToken) return lookupSelf(req);
    return respond(await tokens.lookup(token), token);
  }

  async function lookupAccessor(accessor: string | undefined): Promise<LogicalResponse> {
    if (!accessor) throw new InvalidRequest('missing accessor');
    const entry = await tokens.lookupByAccessor(accessor);
    if (!entry) throw new InvalidRequest('invalid accessor');
    return respond(entry, '');
  }

  const tokenField = { token: { type: 'string', description: 'Token to look up' } } as const;
  const accessorField = { accessor: { type: 'string', description: 'Accessor of the token to look up' } } as const;
  return [
    path({
      pattern: 'lookup',
      fields: tokenField,
      operations: {
        read: (req, d) => lookupToken(req, d.token),
        update: (req, d) => lookupToken(req, d.token),
      },
      synopsis: 'Look up a token (the caller when no token is given)',
    }),
    path({
      pattern: 'lookup-self',
      fields: tokenField,
      operations: { read: (req) => lookupSelf(req), update: (req) => lookupSelf(req) },
      synopsis: "Look up the caller's token",
    }),
    path({
      pattern: 'lookup-accessor',
      fields: accessorField,
      operations: { update: (_req, d) => lookupAccessor(d.accessor) },
      synopsis: 'Look up a token by its accessor',
    }),
  ];
}
