/**
 * sys/internal/ui/mounts[/<path>]: the mounts a caller may see, and the mount that serves a
 * path. This is how the Vault CLI and vault-env style tools tell KV v1 from v2
 * (`data.options.version`, `data.path`). No explicit policy is needed: any capability the
 * caller's ACL grants inside a mount is enough, so the paths are unauthenticated in the
 * backend and the token is checked here.
 */
import { effectivePolicies } from '../policy/effective.js';
import { PermissionDenied } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { LogicalRequest } from '../../framework/logical.js';
import type { MountEntry } from '../mounts/entry.js';
import type { TokenEntry } from '../tokens/entry.js';
import type { SysContext } from './context.js';
import { mountInfo, publicMountInfo } from './mount-info.js';
import { mountPath } from './mount-settings.js';

const PREFLIGHT_DENIED = 'preflight capability check returned 403, please ensure client\'s policies grant access to this path';

function fullMountPath(entry: MountEntry): string {
  return entry.table === 'auth' ? `auth/${entry.path}` : entry.path;
}

export function internalUiPaths(ctx: SysContext) {
  /** Resolves the caller's token; undefined without one; PermissionDenied when it is invalid. */
  async function callerToken(req: LogicalRequest): Promise<TokenEntry | undefined> {
    if (!req.clientToken) return undefined;
    const entry = await ctx.core.tokens.lookup(req.clientToken);
    if (!entry) throw new PermissionDenied('permission denied (invalid token)');
    return entry;
  }

  /**
   * A predicate telling whether the token may see a mount: any non-deny rule for a path
   * inside it is enough. Without an ACL provider (unit wiring) only root passes.
   */
  async function accessCheck(token: TokenEntry): Promise<(entry: MountEntry) => boolean> {
    if (!ctx.acl) return () => token.policies.includes('root');
    const acl = await ctx.acl.aclFor(await effectivePolicies(token.policies, token.entityId, ctx.identity));
    if (acl.isRoot) return () => true;
    return (entry) => acl.hasAccessUnder(fullMountPath(entry));
  }

  return {
    unauthenticatedPaths: ['internal/ui/mounts', 'internal/ui/mounts/*'],
    paths: [
      path({
        pattern: 'internal/ui/mounts',
        synopsis: 'The secrets engines and auth methods visible to the caller.',
        operations: {
          read: async (req) => {
            const token = await callerToken(req);
            const allowed = token ? await accessCheck(token) : () => false;
            const render = (table: 'mounts' | 'auth') => Object.fromEntries(
              ctx.mounts.list(table)
                .filter((e) => e.config.listingVisibility === 'unauth' || allowed(e))
                .map((e) => [e.path, token ? mountInfo(e) : publicMountInfo(e)]),
            );
            return { data: { secret: render('mounts'), auth: render('auth') } };
          },
        },
      }),
      path({
        pattern: 'internal/ui/mounts/:path*',
        synopsis: 'The mount serving a path, with its options (KV version) and mount path.',
        fields: { path: { type: 'string', required: true } },
        operations: {
          read: async (req, data) => {
            const token = await callerToken(req);
            if (!token) throw new PermissionDenied();
            const mount = ctx.mounts.route(mountPath(data.path));
            // Vault answers 403 (not 404) for a missing mount so this cannot enumerate mounts.
            if (!mount) throw new PermissionDenied(PREFLIGHT_DENIED);
            const allowed = await accessCheck(token);
            if (!allowed(mount.entry)) throw new PermissionDenied(PREFLIGHT_DENIED);
            return { data: { ...mountInfo(mount.entry), path: mount.entry.path } };
          },
        },
      }),
    ],
  };
}
