/**
 * sys/mounts: list, enable, read, disable and tune secrets engines. Tune also reaches auth
 * methods as `sys/mounts/auth/<path>/tune` (no sudo, unlike `sys/auth/<path>/tune`).
 */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { FieldData } from '../../framework/fields.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { newMountEntry, type LiveMount } from '../mounts/manager.js';
import { routePrefix, type MountEntry, type MountTable } from '../mounts/entry.js';
import type { SysContext } from './context.js';
import { mountInfo, tuneInfo } from './mount-info.js';
import {
  PROTECTED_MOUNT_PREFIXES, SINGLETON_TYPES, TUNE_FIELDS, applyTune, checkPluginVersion, mountPath,
  parseEnableConfig, resolveEngineType,
} from './mount-settings.js';

export const ENABLE_FIELDS = {
  path: { type: 'string', required: true },
  type: { type: 'string', description: 'The engine or method type, e.g. "kv", "kv-v2", "transit", "userpass".' },
  description: { type: 'string', default: '' },
  config: { type: 'map', description: 'default_lease_ttl, max_lease_ttl, force_no_cache, audit and header lists, listing_visibility, token_type (auth).' },
  options: { type: 'keyPairs', description: 'Engine options, e.g. {"version": "2"} for kv.' },
  local: { type: 'bool', default: false },
  seal_wrap: { type: 'bool', default: false },
  external_entropy_access: { type: 'bool', default: false },
  plugin_name: { type: 'string' },
  plugin_version: { type: 'string' },
} as const;

type EnableData = FieldData<typeof ENABLE_FIELDS>;

/** Builds and mounts an entry from an enable request (shared by sys/mounts and sys/auth). */
export async function enableMount(ctx: SysContext, table: MountTable, data: EnableData): Promise<MountEntry> {
  const at = mountPath(data.path);
  let type = data.type ?? '';
  if (type === '') throw new InvalidRequest('backend type must be specified as a string');
  const config = parseEnableConfig(data.config, table, ctx.mounts.systemDefaults());
  if (type === 'plugin') {
    const pluginName = typeof data.config?.plugin_name === 'string' && data.config.plugin_name !== ''
      ? data.config.plugin_name : data.plugin_name ?? '';
    if (pluginName === '') throw new InvalidRequest('plugin_name must be provided for plugin backend');
    type = pluginName;
  }
  if (table === 'auth' && type === 'token') throw new InvalidRequest('token credential backend cannot be instantiated');
  const resolved = resolveEngineType(type, data.options, table);
  const pluginVersion = typeof data.config?.plugin_version === 'string' ? data.config.plugin_version : data.plugin_version;
  checkPluginVersion(pluginVersion, resolved.type, table);
  if (table === 'mounts' && PROTECTED_MOUNT_PREFIXES.some((p) => at.startsWith(p))) {
    throw new InvalidRequest('cannot mount under a reserved path (audit/, auth/, sys/, cubbyhole/, identity/)');
  }
  if (SINGLETON_TYPES.has(resolved.type)) throw new InvalidRequest(`mount type of "${resolved.type}" is not mountable`);
  if (!ctx.registry.has(table, resolved.type)) {
    const kind = table === 'auth' ? 'auth method' : 'secrets engine';
    throw new InvalidRequest(`plugin not found in the catalog: unknown ${kind} type`);
  }
  const entry = newMountEntry(table, at, resolved.type, {
    description: data.description,
    local: data.local,
    sealWrap: data.seal_wrap,
    externalEntropyAccess: data.external_entropy_access,
    options: resolved.options,
    config,
  });
  await ctx.mounts.mount(entry);
  return entry;
}

/** The mount that serves a full logical path (`secret/`, `auth/userpass/`), as Vault's MatchingMountEntry. */
export function mountServing(ctx: SysContext, fullPath: string): LiveMount | undefined {
  return ctx.mounts.route(fullPath);
}

export function readTune(ctx: SysContext, fullPath: string): LogicalResponse {
  const mount = mountServing(ctx, fullPath);
  if (!mount) throw new InvalidRequest('cannot fetch sysview for this path: no mount serves it');
  return { data: tuneInfo(mount.entry, ctx.mounts.systemDefaults()) };
}

export async function writeTune(
  ctx: SysContext,
  fullPath: string,
  data: FieldData<typeof TUNE_FIELDS>,
  present: readonly string[],
): Promise<LogicalResponse | undefined> {
  const mount = mountServing(ctx, fullPath);
  if (!mount) throw new InvalidRequest('tune failed: no mount entry found for this path');
  const { entry } = mount;
  const { outcome, restore } = applyTune(entry, data, present, ctx.mounts.systemDefaults());
  try {
    await ctx.mounts.update(entry);
  } catch (err) {
    restore();
    throw err;
  }
  if (!outcome.kvUpgrade) return undefined;
  await ctx.mounts.reload(entry.table, entry.path);
  const { from, to } = outcome.kvUpgrade;
  return {
    warnings: [`Upgrading mount from version ${from} to version ${to}. This mount will be unavailable for a brief period and will resume service shortly.`],
  };
}

export function mountsPaths(ctx: SysContext) {
  return {
    paths: [
      path({
        pattern: 'mounts',
        synopsis: 'List the mounted secrets engines.',
        operations: {
          read: async () => ({
            data: Object.fromEntries(ctx.mounts.list('mounts').map((e) => [e.path, mountInfo(e)])),
          }),
        },
      }),
      path({
        pattern: 'mounts/:path*',
        synopsis: 'Enable, read or disable a secrets engine at a path.',
        fields: ENABLE_FIELDS,
        operations: {
          update: async (_req, data) => {
            await enableMount(ctx, 'mounts', data);
          },
          read: async (_req, data) => {
            const mount = mountServing(ctx, mountPath(data.path));
            if (!mount) throw new InvalidRequest('No secret engine mount at this path');
            return { data: mountInfo(mount.entry) };
          },
          delete: async (_req, data) => {
            const at = mountPath(data.path);
            if (PROTECTED_MOUNT_PREFIXES.some((p) => at.startsWith(p))) {
              // Vault answers 204 when nothing is mounted exactly there, else refuses.
              const mounted = ctx.mounts.route(at);
              if (mounted && routePrefix(mounted.entry) === at) throw new InvalidRequest(`cannot unmount "${mounted.prefix}"`);
              return;
            }
            await ctx.mounts.unmount('mounts', at);
          },
        },
      }),
      path({
        pattern: 'mounts/:path*/tune',
        synopsis: 'Read or tune a mount\'s settings; `auth/<path>` tunes an auth method.',
        fields: { path: { type: 'string', required: true }, ...TUNE_FIELDS },
        operations: {
          read: async (_req, data) => readTune(ctx, mountPath(data.path)),
          update: async (req, data) => writeTune(ctx, mountPath(data.path), data, Object.keys(req.data)),
        },
      }),
    ],
  };
}
