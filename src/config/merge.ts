/**
 * Merges layers as Vault does (later files override scalars and storage; listeners and seals
 * accumulate) and applies the defaults.
 */
import { join } from 'node:path';
import { InvalidRequest } from '../errors.js';
import type { ConfigLayer } from './layer.js';
import type { ServerConfig } from './types.js';
import { DEFAULT_DATA_DIR, DEFAULT_LEASE_TTL_SECONDS } from './types.js';

export interface FinalizeOptions {
  /** Where the default SQLite file lives when no storage stanza is given; default "./data". */
  dataDir?: string;
}

/** `source` names the files merged, for error messages. */
export function mergeLayers(layers: ConfigLayer[], options: FinalizeOptions = {}, source = 'config'): ServerConfig {
  const merged: ConfigLayer = { listeners: [], seals: [] };
  for (const layer of layers) {
    const { listeners, seals, telemetry, ...scalars } = layer;
    merged.listeners.push(...listeners);
    merged.seals.push(...seals);
    if (telemetry) merged.telemetry = { ...merged.telemetry, ...telemetry };
    for (const [key, value] of Object.entries(scalars)) {
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
    }
  }
  checkSeals(merged, source);

  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const config: ServerConfig = {
    storage: merged.storage ?? { type: 'sqlite', options: {} },
    listeners: merged.listeners,
    seals: merged.seals,
    ui: merged.ui ?? false,
    logLevel: merged.logLevel ?? 'info',
    logFormat: merged.logFormat ?? 'standard',
    defaultLeaseTtlSeconds: merged.defaultLeaseTtlSeconds ?? DEFAULT_LEASE_TTL_SECONDS,
    maxLeaseTtlSeconds: merged.maxLeaseTtlSeconds ?? DEFAULT_LEASE_TTL_SECONDS,
    disableMlock: merged.disableMlock ?? false,
  };
  if (config.storage.type === 'sqlite' && config.storage.options.path === undefined) {
    config.storage = { type: 'sqlite', options: { ...config.storage.options, path: join(dataDir, 'arca.db') } };
  }
  if (merged.entropy) config.entropy = merged.entropy;
  if (merged.apiAddr !== undefined) config.apiAddr = merged.apiAddr;
  if (merged.clusterAddr !== undefined) config.clusterAddr = merged.clusterAddr;
  if (merged.clusterName !== undefined) config.clusterName = merged.clusterName;
  if (merged.telemetry) {
    config.telemetry = {
      unauthenticatedMetricsAccess: merged.telemetry.unauthenticatedMetricsAccess ?? false,
      prometheusRetentionTimeSeconds: merged.telemetry.prometheusRetentionTimeSeconds ?? 24 * 3600, // Vault's default: 24h
      disableHostname: merged.telemetry.disableHostname ?? false,
    };
  }
  if (config.defaultLeaseTtlSeconds > config.maxLeaseTtlSeconds) {
    throw new InvalidRequest(`${source}: default_lease_ttl cannot be larger than max_lease_ttl`);
  }
  return config;
}

/** One seal, or two during a migration with exactly one of them disabled. */
function checkSeals(layer: ConfigLayer, source: string): void {
  const { seals } = layer;
  if (seals.length > 2) throw new InvalidRequest(`${source}: at most two seal stanzas are allowed (one of them disabled, for migration)`);
  if (seals.length === 2 && seals.filter((s) => s.disabled).length !== 1) {
    throw new InvalidRequest(`${source}: with two seal stanzas exactly one must be disabled (seal migration)`);
  }
  if (layer.entropy && (seals.length === 0 || seals.every((s) => s.disabled || s.type === 'shamir'))) {
    throw new InvalidRequest(`${source}: entropy augmentation requires an enabled auto seal`);
  }
}
