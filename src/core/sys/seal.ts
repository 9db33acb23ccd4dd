/** sys/seal and sys/step-down: root-protected, 204. */
import { path } from '../../framework/path.js';
import type { SysContext } from './context.js';

export function sealPaths(ctx: SysContext) {
  return {
    rootPaths: ['seal', 'step-down'],
    paths: [
      path({
        pattern: 'seal',
        synopsis: 'Seal the server: every key is forgotten until it is unsealed again.',
        operations: { update: async () => { await ctx.core.seal(); } },
      }),
      path({
        pattern: 'step-down',
        synopsis: 'Give up the active role so another node can take it.',
        operations: { update: async () => { await ctx.stepDown?.(); } },
      }),
    ],
  };
}
