export type { ListenerConfig, SealStanza, ServerConfig, TelemetryConfig, LogLevel } from './types.js';
export { DEFAULT_MAX_REQUEST_SIZE, DEFAULT_LEASE_TTL_SECONDS, DEFAULT_LISTEN_ADDRESS, DEFAULT_DATA_DIR } from './types.js';
export { loadConfig, parseConfigText } from './load.js';
export { mergeLayers, type FinalizeOptions } from './merge.js';
export { defaultDevConfig } from './dev.js';
