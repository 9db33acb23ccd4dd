/** One file's worth of configuration before merging and defaults. */
import type { ListenerConfig, LogLevel, SealStanza, ServerConfig, TelemetryConfig } from './types.js';

export interface ConfigLayer {
  storage?: ServerConfig['storage'];
  listeners: ListenerConfig[];
  seals: SealStanza[];
  entropy?: ServerConfig['entropy'];
  apiAddr?: string;
  clusterAddr?: string;
  clusterName?: string;
  ui?: boolean;
  logLevel?: LogLevel;
  logFormat?: 'standard' | 'json';
  defaultLeaseTtlSeconds?: number;
  maxLeaseTtlSeconds?: number;
  disableMlock?: boolean;
  telemetry?: Partial<TelemetryConfig>;
}
