/**
 * SIGHUP: reopen audit files (logrotate), reload TLS certificates and the log level, without
 * dropping a connection. TLS contexts are swapped with setSecureContext, so connections already
 * open keep their session and new ones get the new certificate. A reload that fails (a cert file
 * half-written by a renewal job) is logged and leaves the old state in place.
 */
import { readFileSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import { constants } from 'node:crypto';
import type { ListenerConfig, ServerConfig } from '../config/types.js';
import type { Logger } from '../util/log.js';

/**
 * The TLS settings of a listener: TLS 1.2 minimum, server cipher order, Node's default suites.
 * No session tickets: on a resumed session Node knows only the client's leaf certificate, so a
 * cert-auth client that sent intermediates would fail its next login on a new connection.
 */
export function tlsContextOptions(listener: ListenerConfig): SecureContextOptions & { honorCipherOrder: boolean } {
  return {
    cert: readFileSync(listener.tlsCertFile ?? ''),
    key: readFileSync(listener.tlsKeyFile ?? ''),
    minVersion: listener.tlsMinVersion === 'tls13' ? 'TLSv1.3' : 'TLSv1.2',
    honorCipherOrder: true,
    secureOptions: constants.SSL_OP_NO_TICKET,
  };
}

export interface ReloadTargets {
  logger: Logger;
  audit: { reopen(): Promise<void> };
  /** TLS listeners, in config order. */
  tls: Array<{ server: HttpsServer; listener: ListenerConfig; index: number }>;
  /** Re-reads the configuration files (the CLI passes this); without it the old config is reused. */
  reloadConfig?: () => Promise<ServerConfig>;
}

export async function reloadServer(targets: ReloadTargets): Promise<void> {
  const { logger } = targets;
  let config: ServerConfig | undefined;
  if (targets.reloadConfig) {
    try {
      config = await targets.reloadConfig();
      logger.setLevel(config.logLevel);
    } catch (err) {
      logger.log('error', `reload: configuration not reloaded: ${(err as Error).message}`);
    }
  }
  for (const { server, listener, index } of targets.tls) {
    const current = config?.listeners[index] ?? listener;
    try {
      server.setSecureContext(tlsContextOptions(current.tlsDisable ? listener : current));
    } catch (err) {
      logger.log('error', `reload: TLS certificate for listener ${index} not reloaded: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  await targets.audit.reopen();
  logger.log('info', 'reload: configuration, TLS certificates and audit devices reloaded');
}

/** Calls `run` on every SIGHUP until the returned function is called. */
export function onSighup(run: () => Promise<void>): () => void {
  const handler = (): void => { void run(); };
  process.on('SIGHUP', handler);
  return () => { process.off('SIGHUP', handler); };
}
