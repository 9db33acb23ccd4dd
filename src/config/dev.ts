/** The configuration `arca server -dev` runs with: in memory, plain HTTP, verbose. */
import type { ServerConfig } from './types.js';
import { DEFAULT_LEASE_TTL_SECONDS, DEFAULT_MAX_REQUEST_SIZE } from './types.js';

export function defaultDevConfig(listenAddress = '127.0.0.1:8200'): ServerConfig {
  return {
    storage: { type: 'inmem', options: {} },
    listeners: [{
      type: 'tcp', address: listenAddress, tlsDisable: true, tlsMinVersion: 'tls12', maxRequestSize: DEFAULT_MAX_REQUEST_SIZE,
    }],
    seals: [],
    ui: true,
    logLevel: 'info',
    logFormat: 'standard',
    defaultLeaseTtlSeconds: DEFAULT_LEASE_TTL_SECONDS,
    maxLeaseTtlSeconds: DEFAULT_LEASE_TTL_SECONDS,
    disableMlock: true,
  };
}
