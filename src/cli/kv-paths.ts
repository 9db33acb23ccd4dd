/**
 * How Vault's `kv` commands find the engine: a preflight GET sys/internal/ui/mounts/<path>
 * says which mount serves the path and its options.version; v2 paths gain data/, metadata/,
 * delete/, undelete/ or destroy/ after the mount.
 */
import { ApiError, type Client } from './client.js';
import type { Secret } from './format.js';

export interface KvTarget {
  /** The mount path as the server reports it, e.g. "secret/". */
  mountPath: string;
  v2: boolean;
  /** The path given (joined onto the mount for -mount on v2), without leading/trailing slashes. */
  partialPath: string;
  /** Whether -mount was used (v1 paths are then mount + path). */
  mountFlag: boolean;
}

/** Vault's sanitizePath: no leading or trailing slashes. */
export function sanitizePath(path: string): string {
  return path.trim().replace(/^\/+/, '').replace(/\/+$/, '');
}

export function ensureTrailingSlash(path: string): string {
  const trimmed = path.trim();
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** path.Join of Go: cleaned, slashes collapsed, no trailing slash. */
export function joinPath(...parts: string[]): string {
  const segments: string[] = [];
  for (const part of parts.join('/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') segments.pop(); else segments.push(part);
  }
  return segments.join('/');
}

export const NIL_PREFLIGHT = 'nil response from pre-flight request';

export async function kvPreflight(client: Client, path: string): Promise<{ mountPath: string; version: 1 | 2 }> {
  let body: Secret | undefined;
  try {
    body = (await client.get(`sys/internal/ui/mounts/${path}`)).body as Secret | undefined;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { mountPath: '', version: 1 };
    throw err;
  }
  if (!body) throw new Error(NIL_PREFLIGHT);
  const data = body.data ?? {};
  const mountPath = typeof data.path === 'string' ? data.path : '';
  const options = data.options as Record<string, unknown> | null | undefined;
  return { mountPath, version: options?.version === '2' ? 2 : 1 };
}

/** Resolves the positional path (and -mount) to the engine that serves it. */
export async function resolveKv(client: Client, arg: string, mount: string): Promise<KvTarget> {
  if (mount) {
    const { mountPath, version } = await kvPreflight(client, sanitizePath(mount));
    const partial = sanitizePath(arg);
    return { mountPath, v2: version === 2, partialPath: version === 2 ? joinPath(mountPath, partial) : partial, mountFlag: true };
  }
  const partialPath = sanitizePath(arg);
  const { mountPath, version } = await kvPreflight(client, partialPath);
  return { mountPath, v2: version === 2, partialPath, mountFlag: false };
}

/** Vault's addPrefixToKVPath. */
export function addPrefixToKvPath(path: string, mountPath: string, apiPrefix: string): string {
  if (path === mountPath || path === mountPath.replace(/\/$/, '')) return joinPath(mountPath, apiPrefix);
  let mount = mountPath;
  let suffix = path.startsWith(mount) ? path.slice(mount.length) : path;
  while (suffix === path) {
    const slash = mount.indexOf('/');
    if (slash === -1 || mount.slice(slash + 1) === '') break;
    mount = mount.slice(slash + 1).replace(/\/$/, '');
    suffix = suffix.startsWith(mount) ? suffix.slice(mount.length) : suffix;
  }
  return joinPath(mount, apiPrefix, suffix);
}

/** The API path for an operation: v2 gets the prefix, v1 is the path itself (under -mount when given). */
export function kvApiPath(target: KvTarget, apiPrefix: string): string {
  if (target.v2) return addPrefixToKvPath(target.partialPath, target.mountPath, apiPrefix);
  return target.mountFlag ? joinPath(target.mountPath, target.partialPath) : target.partialPath;
}

/** `-versions=1,2 -versions=3` → ["1","2","3"]. */
export function parseVersions(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}
