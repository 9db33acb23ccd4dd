/**
 * What the cloud stand-ins share: a loopback HTTP server that can be stopped and started again
 * on the same port (the service "going away" and coming back), and a switch that makes the next
 * requests fail the way the service throttles or denies.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Failure = 'throttle' | 'deny';

/** Listens on an ephemeral port (HTTP or HTTPS: `create` builds the server); `start` after `stop` reuses that port. */
export async function startRestartableServer(create: () => Server) {
  let server: Server | undefined;
  let port = 0;
  const control = {
    get port() { return port; },
    async start(): Promise<void> {
      server = create();
      await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    },
    async stop(): Promise<void> {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    },
  };
  await control.start();
  return control;
}

/** `failNext(kind, count)` arms it; each request calls `take()` to learn whether to fail, and how. */
export function createFailureSwitch() {
  let armed: { kind: Failure; remaining: number } | undefined;
  return {
    failNext(kind: Failure, count = Infinity): void {
      armed = { kind, remaining: count };
    },
    clearFailures(): void {
      armed = undefined;
    },
    take(): Failure | undefined {
      if (!armed || armed.remaining <= 0) return undefined;
      armed.remaining--;
      return armed.kind;
    },
  };
}
