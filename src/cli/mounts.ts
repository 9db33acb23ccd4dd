/** What `secrets` and `auth` share: the mount flags, the enable/tune bodies and the list tables. */
import type { FlagSpecs } from './flags.js';
import { formatValue, pipeTable } from './format.js';
import { parseMapFlag } from './map-flag.js';

export const MOUNT_FLAGS = {
  description: { kind: 'string', usage: 'Human-friendly description of the mount.' },
  'default-lease-ttl': { kind: 'string', usage: 'The default lease TTL, e.g. "30m".' },
  'max-lease-ttl': { kind: 'string', usage: 'The maximum lease TTL, e.g. "24h".' },
  options: { kind: 'strings', usage: 'A key=value option for the engine (e.g. version=2); may be repeated.' },
  version: { kind: 'int', usage: 'Shorthand for -options=version=N (KV).', default: 0 },
  'audit-non-hmac-request-keys': { kind: 'strings', usage: 'Request keys not HMACed in audit entries; may be repeated.' },
  'audit-non-hmac-response-keys': { kind: 'strings', usage: 'Response keys not HMACed in audit entries; may be repeated.' },
  'listing-visibility': { kind: 'string', usage: 'Whether to show the mount in the UI listing ("unauth" or "hidden").' },
  'passthrough-request-headers': { kind: 'strings', usage: 'A request header passed to the backend; may be repeated.' },
  'allowed-response-headers': { kind: 'strings', usage: 'A response header the backend may set; may be repeated.' },
  'plugin-version': { kind: 'string', usage: 'The plugin version to use.' },
} as const satisfies FlagSpecs;

export const ENABLE_ONLY_FLAGS = {
  path: { kind: 'string', usage: 'Place where the mount is accessible; defaults to the type.' },
  local: { kind: 'bool', usage: 'Mark the mount as local-only (not replicated).' },
  'seal-wrap': { kind: 'bool', usage: 'Seal-wrap the mount\'s critical values.' },
  'external-entropy-access': { kind: 'bool', usage: 'Give the mount access to the external entropy source.' },
  'force-no-cache': { kind: 'bool', usage: 'Bypass the read cache for this mount.' },
  'plugin-name': { kind: 'string', usage: 'The plugin name when TYPE is "plugin".' },
} as const satisfies FlagSpecs;

type MountFlagValues = {
  description: string; 'default-lease-ttl': string; 'max-lease-ttl': string; options: string[]; version: number;
  'audit-non-hmac-request-keys': string[]; 'audit-non-hmac-response-keys': string[]; 'listing-visibility': string;
  'passthrough-request-headers': string[]; 'allowed-response-headers': string[]; 'plugin-version': string;
};

export function mountOptions(flags: MountFlagValues): Record<string, string> | undefined {
  const options = parseMapFlag('options', flags.options);
  if (flags.version > 0) options.version = String(flags.version);
  return Object.keys(options).length > 0 ? options : undefined;
}

/** The config keys shared by enable and tune, only for flags that were given. */
export function mountConfig(flags: MountFlagValues, set: Set<string>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (flags['default-lease-ttl']) config.default_lease_ttl = flags['default-lease-ttl'];
  if (flags['max-lease-ttl']) config.max_lease_ttl = flags['max-lease-ttl'];
  const lists: Array<[keyof MountFlagValues, string]> = [
    ['audit-non-hmac-request-keys', 'audit_non_hmac_request_keys'], ['audit-non-hmac-response-keys', 'audit_non_hmac_response_keys'],
    ['passthrough-request-headers', 'passthrough_request_headers'], ['allowed-response-headers', 'allowed_response_headers'],
  ];
  for (const [flag, key] of lists) if (set.has(flag)) config[key] = flags[flag];
  if (set.has('listing-visibility')) config.listing_visibility = flags['listing-visibility'];
  if (set.has('plugin-version')) config.plugin_version = flags['plugin-version'];
  return config;
}

export interface MountOutput {
  type: string; description?: string; accessor?: string; uuid?: string; local?: boolean; seal_wrap?: boolean;
  external_entropy_access?: boolean; options?: Record<string, string> | null; plugin_version?: string;
  running_plugin_version?: string; running_sha256?: string; deprecation_status?: string;
  config?: { default_lease_ttl?: number; max_lease_ttl?: number; force_no_cache?: boolean; token_type?: string };
}

/** sys/mounts and sys/auth answer with the table under data (and, for old clients, at the top). */
export function mountsOf(body: unknown): Record<string, MountOutput> {
  const envelope = body as { data?: Record<string, MountOutput> } | undefined;
  const data = envelope?.data ?? {};
  return Object.fromEntries(Object.entries(data).filter(([k, v]) => k.endsWith('/') && typeof v === 'object' && v !== null));
}

function ttlCell(type: string, ttl: number | undefined): string {
  if (type === 'system' || type === 'cubbyhole') return '';
  return ttl ? String(ttl) : 'system';
}

function optionsCell(options: Record<string, string> | null | undefined): string {
  return options ? formatValue(options) : 'map[]';
}

export function simpleMountsTable(mounts: Record<string, MountOutput>, auth: boolean): string {
  const header = auth ? ['Path', 'Type', 'Accessor', 'Description', 'Version'] : ['Path', 'Type', 'Accessor', 'Description'];
  const rows = Object.keys(mounts).sort().map((path) => {
    const m = mounts[path];
    const row = [path, m.type, m.accessor ?? '', m.description ?? ''];
    if (auth) row.push(m.plugin_version ?? '');
    return row;
  });
  return pipeTable([header, ...rows]);
}

export function detailedMountsTable(mounts: Record<string, MountOutput>, auth: boolean): string {
  const header = ['Path', 'Plugin', 'Accessor', 'Default TTL', 'Max TTL', auth ? 'Token Type' : 'Force No Cache', 'Replication', 'Seal Wrap',
    'External Entropy Access', 'Options', 'Description', 'UUID', 'Version', 'Running Version', 'Running SHA256', 'Deprecation Status'];
  const rows = Object.keys(mounts).sort().map((path) => {
    const m = mounts[path];
    return [
      path, m.type, m.accessor ?? '', ttlCell(m.type, m.config?.default_lease_ttl), ttlCell(m.type, m.config?.max_lease_ttl),
      auth ? m.config?.token_type ?? '' : String(Boolean(m.config?.force_no_cache)), m.local ? 'local' : 'replicated',
      String(Boolean(m.seal_wrap)), String(Boolean(m.external_entropy_access)), optionsCell(m.options), m.description ?? '',
      m.uuid ?? '', m.plugin_version ?? '', m.running_plugin_version ?? '', m.running_sha256 ?? '', m.deprecation_status ?? '',
    ];
  });
  return pipeTable([header, ...rows]);
}
