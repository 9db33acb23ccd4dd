/** The server's configuration after parsing, merging and defaulting (HCL or JSON, Vault's stanzas). */
export interface ListenerConfig {
  type: 'tcp';
  address: string;
  tlsDisable: boolean;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  tlsMinVersion: 'tls12' | 'tls13';
  /** Bytes; default 33554432 (32 MiB). */
  maxRequestSize: number;
  maxRequestDurationSeconds?: number;
  /** Behind a load balancer: trust X-Forwarded-For from these peers (Vault's x_forwarded_for_* keys). */
  xForwardedFor?: XForwardedForConfig;
}

export interface XForwardedForConfig {
  authorizedAddrs: string[];
  hopSkips: number;
  rejectNotAuthorized: boolean;
  rejectNotPresent: boolean;
}

export interface SealStanza {
  type: string;
  disabled: boolean;
  /** Kept as strings for the seal implementation to validate. */
  options: Record<string, string>;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface TelemetryConfig {
  unauthenticatedMetricsAccess: boolean;
  prometheusRetentionTimeSeconds: number;
  disableHostname: boolean;
}

export interface ServerConfig {
  /** No stanza → { type: 'sqlite', options: { path: '<data dir>/arca.db' } }. */
  storage: { type: string; options: Record<string, unknown> };
  listeners: ListenerConfig[];
  /** Empty → shamir. */
  seals: SealStanza[];
  entropy?: { mode: 'augmentation'; sealType: string };
  apiAddr?: string;
  clusterAddr?: string;
  clusterName?: string;
  ui: boolean;
  logLevel: LogLevel;
  logFormat: 'standard' | 'json';
  defaultLeaseTtlSeconds: number;
  maxLeaseTtlSeconds: number;
  disableMlock: boolean;
  telemetry?: TelemetryConfig;
}

export const DEFAULT_MAX_REQUEST_SIZE = 33554432;
/** Vault's 768h. */
export const DEFAULT_LEASE_TTL_SECONDS = 768 * 3600;
export const DEFAULT_LISTEN_ADDRESS = '127.0.0.1:8200';
export const DEFAULT_DATA_DIR = './data';
