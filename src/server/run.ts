/**
 * Starting and stopping a server process: listeners, dev mode, auto-unseal, graceful close.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ListenerConfig, ServerConfig } from '../config/types.js';
import { createInmemStorage } from '../storage/inmem.js';
import { createLogger, type Logger } from '../util/log.js';
import { composeServer, type ComposedServer } from './compose.js';
import { acceptListVerb } from '../http/list-verb.js';
import { onSighup, reloadServer, tlsContextOptions } from './reload.js';

export interface StartOptions {
  dev?: { rootTokenId?: string; listenAddress?: string };
  logger?: Logger;
  /** Re-reads the config files on SIGHUP (log level, TLS certificate paths). */
  reloadConfig?: () => Promise<ServerConfig>;
}

export interface RunningServer {
  addresses: string[];
  devCredentials?: { unsealKey: string; rootToken: string };
  composed: ComposedServer;
  /** What SIGHUP does: reload the log level and TLS certificates, reopen audit files. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

function splitAddress(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at).replace(/^\[|\]$/g, '') || '127.0.0.1';
  return { host, port: Number(address.slice(at + 1)) };
}

async function listen(listener: ListenerConfig, handler: ComposedServer['handler']): Promise<{ server: Server; url: string }> {
  const server = listener.tlsDisable
    ? createHttpServer(handler)
    : createHttpsServer({
        ...tlsContextOptions(listener),
        requestCert: true,
        rejectUnauthorized: false, // client certificates are optional; cert auth checks them
      }, handler);
  acceptListVerb(server);
  server.headersTimeout = 30_000;
  server.requestTimeout = (listener.maxRequestDurationSeconds ?? 90) * 1000;
  server.keepAliveTimeout = 65_000;
  server.timeout = 5 * 60_000; // Vault's http_idle_timeout: a socket silent this long is closed
  server.maxHeadersCount = 200;
  const { host, port } = splitAddress(listener.address);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const bound = server.address() as AddressInfo;
  const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return { server, url: `${listener.tlsDisable ? 'http' : 'https'}://${shownHost}:${bound.port}` };
}

function startAutoUnseal(composed: ComposedServer, logger: Logger, stopped: () => boolean): void {
  const { core } = composed;
  if (!core.configuredSeal.autoUnseal) return;
  let delay = 500;
  const attempt = async (): Promise<void> => {
    if (stopped() || !core.sealed) return;
    try {
      if (await core.initialized()) {
        await core.autoUnseal();
        return;
      }
    } catch (err) {
      logger.log('error', `core: auto-unseal failed, retrying in ${delay} ms: ${(err as Error).message}`);
      delay = Math.min(delay * 2, 30_000);
    }
    setTimeout(() => void attempt(), delay).unref();
  };
  void attempt();
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const dev = options.dev;
  const composed = await composeServer(config, { logger, storage: dev ? createInmemStorage() : undefined });
  const listeners = dev
    ? [{ ...config.listeners[0], address: dev.listenAddress ?? config.listeners[0]?.address ?? '127.0.0.1:8200', tlsDisable: true }]
    : config.listeners;
  const servers: Server[] = [];
  const addresses: string[] = [];
  for (const listener of listeners) {
    const { server, url } = await listen(listener, composed.handler);
    servers.push(server);
    addresses.push(url);
  }
  if (addresses[0]) composed.setBoundAddress(addresses[0]);

  let devCredentials: RunningServer['devCredentials'];
  if (dev) {
    const result = await composed.core.initialize({
      secretShares: 1, secretThreshold: 1, recoveryShares: 1, recoveryThreshold: 1, rootTokenId: dev.rootTokenId,
    });
    const unsealKey = result.keys[0] ?? result.recoveryKeys[0];
    if (composed.core.sealed) await composed.core.submitUnsealShare(Buffer.from(unsealKey));
    devCredentials = { unsealKey: unsealKey.toString('base64'), rootToken: result.rootToken };
    await composed.afterDevInit?.();
  }

  let closed = false;
  startAutoUnseal(composed, logger, () => closed);
  const reload = () => reloadServer({
    logger,
    audit: composed.audit,
    tls: listeners.flatMap((listener, index) => (listener.tlsDisable ? [] : [{ server: servers[index] as HttpsServer, listener, index }])),
    reloadConfig: options.reloadConfig,
  });
  const stopSighup = onSighup(reload);
  return {
    addresses,
    devCredentials,
    composed,
    reload,
    async close() {
      if (closed) return;
      closed = true;
      stopSighup();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeIdleConnections();
      })));
      await composed.close();
    },
  };
}
