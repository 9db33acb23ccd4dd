/**
 * sys/locked-users (list) and sys/locked-users/:mount_accessor/unlock/:alias_identifier
 * (Vault's user lockout API). Built over the lockout tracker the auth methods share.
 */
import { path } from '../../framework/path.js';
import { canonicalAlias, type LockoutTracker } from '../../auth/common/lockout.js';
import type { PathGroup } from './index.js';

export function lockedUsersPaths(lockouts: LockoutTracker): () => PathGroup {
  return () => ({
    paths: [
      path({
        pattern: 'locked-users',
        fields: { mount_accessor: { type: 'string', description: 'Only this auth mount.' } } as const,
        operations: {
          read: async (_req, d) => {
            const locked = lockouts.listLocked(d.mount_accessor || undefined);
            const byMount = new Map<string, string[]>();
            for (const l of locked) byMount.set(l.mountAccessor, [...(byMount.get(l.mountAccessor) ?? []), l.alias]);
            const mountAccessors = [...byMount].map(([accessor, aliases]) => ({
              mount_accessor: accessor, counts: aliases.length, alias_identifiers: aliases.sort(),
            })).sort((a, b) => b.counts - a.counts);
            return {
              data: {
                by_namespace: locked.length === 0 ? [] : [{ namespace_id: 'root', namespace_path: '', counts: locked.length, mount_accessors: mountAccessors }],
                total: locked.length,
              },
            };
          },
        },
        synopsis: 'List the users locked after repeated failed logins.',
      }),
      path({
        pattern: 'locked-users/:mount_accessor/unlock/:alias_identifier',
        fields: { mount_accessor: { type: 'string', required: true }, alias_identifier: { type: 'string', required: true } } as const,
        operations: {
          update: async (_req, d) => {
            await lockouts.unlock(d.mount_accessor, canonicalAlias(d.alias_identifier));
            return undefined;
          },
        },
        synopsis: 'Unlock a locked user.',
      }),
    ],
  });
}
