/** sys/ha-status: the nodes of an HA cluster as the active node sees them. */
import { path } from '../../framework/path.js';
import type { SysContext } from './context.js';

export function haStatusPaths(ctx: SysContext) {
  return {
    paths: [
      path({
        pattern: 'ha-status',
        synopsis: 'The nodes of this HA cluster and which one is active.',
        operations: {
          read: async () => ({ data: { nodes: ctx.ha ? await ctx.ha.nodes() : [] } }),
        },
      }),
    ],
  };
}
