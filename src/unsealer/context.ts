/** What init and the unseal loop work with: the server, the key store, a logger, settings and a stop signal. */
import type { Client } from '../cli/client.js';
import type { Logger } from '../util/log.js';
import type { KeyStore } from './key-store.js';
import type { UnsealerOptions } from './options.js';

export interface UnsealerContext {
  /** The server to initialise and unseal. */
  client: Client;
  /** A client for the same server with the given token (TLS settings kept). */
  clientWithToken(token: string): Client;
  store: KeyStore;
  log: Logger;
  options: UnsealerOptions;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

/** Waits `ms`, or less if the signal fires; never throws. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
