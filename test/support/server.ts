/**
 * Real servers for integration tests: in-process (fast, for API behaviour) or as a child
 * process (for kill -9, restarts and the CLI). Loopback ephemeral ports only.
 */
import { apiClient, type Api } from './api.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDevConfig } from '../../src/config/index.js';
import type { ServerConfig } from '../../src/config/types.js';
import { startServer, type RunningServer } from '../../src/server/run.js';
import { createLogger } from '../../src/util/log.js';

export { apiClient, type Api, type ApiResponse } from './api.js';

export interface DevServer {
  server: RunningServer;
  api: Api;
  rootToken: string;
  unsealKey: string;
  close(): Promise<void>;
}

const quietLogger = createLogger({ level: 'error', write: () => {} });

/** An in-memory dev server (initialised, unsealed, secret/ mounted as KV v2 when available). */
export async function startDevServer(options: { rootTokenId?: string; config?: Partial<ServerConfig> } = {}): Promise<DevServer> {
  const config = { ...defaultDevConfig('127.0.0.1:0'), ...options.config };
  const server = await startServer(config, { dev: { listenAddress: '127.0.0.1:0', rootTokenId: options.rootTokenId }, logger: quietLogger });
  const creds = server.devCredentials!;
  return {
    server,
    api: apiClient(server.addresses[0], creds.rootToken),
    rootToken: creds.rootToken,
    unsealKey: creds.unsealKey,
    close: () => server.close(),
  };
}

/** A durable (sqlite) server in-process, not initialised. */
export async function startDurableServer(dataDir = mkdtempSync(join(tmpdir(), 'arca-test-')), overrides: Partial<ServerConfig> = {}): Promise<{ server: RunningServer; api: Api; dataDir: string; close(): Promise<void> }> {
  const base = defaultDevConfig('127.0.0.1:0');
  const config: ServerConfig = {
    ...base,
    storage: { type: 'sqlite', options: { path: join(dataDir, 'arca.db') } },
    ...overrides,
  };
  const server = await startServer(config, { logger: quietLogger });
  return { server, api: apiClient(server.addresses[0]), dataDir, close: () => server.close() };
}
