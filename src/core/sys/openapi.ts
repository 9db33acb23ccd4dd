/** sys/internal/specs/openapi: the OpenAPI document of everything mounted, from the path declarations. */
import { path } from '../../framework/path.js';
import { describeBackend, openApiDocument } from '../../framework/openapi.js';
import { ARCA_VERSION } from '../core.js';
import type { SysContext } from './context.js';

export function openApiPaths(ctx: SysContext) {
  return {
    paths: [
      path({
        pattern: 'internal/specs/openapi',
        synopsis: 'The OpenAPI 3 document of the mounted secrets engines, auth methods and sys/.',
        operations: {
          read: async () => {
            const paths: Record<string, Record<string, unknown>> = {};
            for (const table of ['mounts', 'auth'] as const) {
              for (const entry of ctx.mounts.list(table)) {
                const mount = ctx.mounts.find(table, entry.path);
                if (!mount) continue;
                const backend = mount.dispatcher.backend;
                Object.assign(paths, describeBackend(backend.describe?.() ?? backend.paths, mount.prefix, entry.type));
              }
            }
            return { data: openApiDocument(ARCA_VERSION, paths) };
          },
        },
      }),
    ],
  };
}
