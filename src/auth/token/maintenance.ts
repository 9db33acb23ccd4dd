/** auth/token/accessors (sudo) and auth/token/tidy. */
import { path, type PathDef } from '../../framework/path.js';
import type { TokenBackendDeps } from './deps.js';

export const TIDY_STARTED = "Tidy operation successfully started. Any information from the operation will be printed to Vault's server logs.";

export function maintenancePaths(deps: TokenBackendDeps): PathDef<any>[] {
  return [
    path({
      pattern: 'accessors/',
      operations: {
        list: async () => ({ data: { keys: (await deps.tokens.listAccessors()).sort() } }),
      },
      synopsis: 'List token accessors',
    }),
    path({
      pattern: 'tidy',
      operations: {
        update: async () => {
          const report = await deps.tokens.tidy();
          return {
            statusCode: 202,
            warnings: [
              TIDY_STARTED,
              `tidy: removed ${report.danglingAccessors} dangling accessor index entries, ${report.danglingParentIndexes} dangling parent index entries (${report.orphanedChildren} tokens orphaned), revoked ${report.expiredTokens} expired tokens`,
            ],
          };
        },
      },
      synopsis: 'Clean up dangling token index entries and expired tokens',
    }),
  ];
}
