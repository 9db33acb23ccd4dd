/**
 * sys/auth: list, enable, read, disable and tune auth methods (mounted at `auth/<path>`).
 * Everything under `sys/auth/` needs sudo, as in Vault; the token method is fixed.
 */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { SysContext } from './context.js';
import { mountInfo } from './mount-info.js';
import { TUNE_FIELDS, mountPath } from './mount-settings.js';
import { ENABLE_FIELDS, enableMount, readTune, writeTune } from './mounts.js';

export function authPaths(ctx: SysContext) {
  return {
    rootPaths: ['auth/*'],
    paths: [
      path({
        pattern: 'auth',
        synopsis: 'List the enabled auth methods.',
        operations: {
          read: async () => ({
            data: Object.fromEntries(ctx.mounts.list('auth').map((e) => [e.path, mountInfo(e)])),
          }),
        },
      }),
      path({
        pattern: 'auth/:path*',
        synopsis: 'Enable, read or disable an auth method at auth/<path>.',
        fields: ENABLE_FIELDS,
        operations: {
          update: async (_req, data) => {
            await enableMount(ctx, 'auth', data);
          },
          read: async (_req, data) => {
            const mount = ctx.mounts.find('auth', mountPath(data.path));
            if (!mount) throw new InvalidRequest('No auth engine at this path');
            return { data: mountInfo(mount.entry) };
          },
          delete: async (_req, data) => {
            const at = mountPath(data.path);
            const mount = ctx.mounts.find('auth', at);
            if (!mount) return; // 204: do not reveal whether a method was there
            if (mount.entry.type === 'token') throw new InvalidRequest('token credential backend cannot be disabled');
            await ctx.mounts.unmount('auth', at);
          },
        },
      }),
      path({
        pattern: 'auth/:path*/tune',
        synopsis: 'Read or tune an auth method\'s settings.',
        fields: { path: { type: 'string', required: true }, ...TUNE_FIELDS },
        operations: {
          read: async (_req, data) => readTune(ctx, `auth/${mountPath(data.path)}`),
          update: async (req, data) => writeTune(ctx, `auth/${mountPath(data.path)}`, data, Object.keys(req.data)),
        },
      }),
    ],
  };
}
