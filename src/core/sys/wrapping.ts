/**
 * sys/wrapping/*: wrap arbitrary data, unwrap, look up and rewrap response-wrapping tokens.
 * The wrapping token names itself either as the caller's token (X-Vault-Token) or in the body
 * (`token`, for a third party holding its own token); the body wins when both are sent.
 *
 * unwrap and lookup are reachable without ACL checks, as Vault validates the wrapping token
 * before any policy: an unknown, expired or used token is a 400, not a 403. A third party
 * unwrapping with its own token still needs `update` on sys/wrapping/unwrap.
 */
import { InvalidRequest, NotFound, PermissionDenied } from '../../errors.js';
import type { LogicalRequest } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { INVALID_WRAPPING_TOKEN, type ResponseWrapping, type WrappingTokenRef } from '../wrapping/wrapper.js';
import type { SysContext } from './context.js';

const tokenField = {
  token: { type: 'string', default: '', description: 'The wrapping token; defaults to the calling token.' },
} as const;

export function wrappingPaths(ctx: SysContext) {
  function wrapping(): ResponseWrapping {
    if (!ctx.wrapping) throw new NotFound('response wrapping is not available');
    return ctx.wrapping;
  }

  /** On an unauthenticated path: the caller's own token if it is live, else the failure Vault gives. */
  function callerRef(req: LogicalRequest): WrappingTokenRef {
    if (req.caller) return { hashedId: req.caller.tokenId };
    if (req.clientToken) throw new InvalidRequest(INVALID_WRAPPING_TOKEN);
    throw new PermissionDenied();
  }

  /** A third party unwraps with its own token, which the ACL must allow here. */
  async function requireCallerMayUse(req: LogicalRequest): Promise<void> {
    const caller = req.caller;
    if (!caller) throw new PermissionDenied(req.clientToken ? 'permission denied (invalid token)' : 'permission denied');
    if (caller.isRoot) return;
    const acl = ctx.acl ? await ctx.acl.aclFor(caller.policies) : undefined;
    if (!acl?.allowOperation({ path: req.path, operation: req.operation, data: req.data }).allowed) {
      throw new PermissionDenied();
    }
  }

  /** Lookup does not spend the token's use when the token comes in the body. */
  async function lookup(req: LogicalRequest, token: string) {
    const info = await wrapping().lookup(token ? { token } : callerRef(req));
    return { data: { creation_path: info.creation_path, creation_time: info.creation_time, creation_ttl: info.creation_ttl } };
  }

  return {
    unauthenticatedPaths: ['wrapping/lookup', 'wrapping/unwrap'],
    paths: [
      path({
        pattern: 'wrapping/wrap',
        synopsis: 'Response-wraps an arbitrary JSON object.',
        arbitraryData: true,
        operations: {
          update: async (req) => {
            if (!req.wrapTtlSeconds) throw new InvalidRequest('endpoint requires response wrapping to be used');
            return { data: { ...req.data } };
          },
        },
      }),
      path({
        pattern: 'wrapping/unwrap',
        synopsis: 'Unwraps a response-wrapping token: returns the original response once.',
        fields: tokenField,
        operations: {
          update: async (req, data) => {
            let ref: WrappingTokenRef;
            if (data.token) {
              await requireCallerMayUse(req);
              ref = { token: data.token };
            } else ref = callerRef(req);
            const body = await wrapping().unwrap(ref);
            return { raw: { status: 200, contentType: 'application/json', body } };
          },
        },
      }),
      path({
        pattern: 'wrapping/lookup',
        synopsis: 'Looks up the creation path, time and TTL of a response-wrapping token.',
        fields: tokenField,
        operations: {
          read: async (req) => lookup(req, ''),
          update: async (req, data) => lookup(req, data.token),
        },
      }),
      path({
        pattern: 'wrapping/rewrap',
        synopsis: 'Rotates a response-wrapping token: a new token wraps the same response.',
        fields: tokenField,
        operations: {
          update: async (req, data) => {
            const ref: WrappingTokenRef = data.token ? { token: data.token } : callerRef(req);
            return { wrapInfo: await wrapping().rewrap(ref, req) };
          },
        },
      }),
    ],
  };

}
