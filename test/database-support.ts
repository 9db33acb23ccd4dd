/** Helpers for the database engine suites: a pausable TCP proxy and a SCRAM verifier check. */
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { createServer, connect, type Socket } from 'node:net';

/**
 * Forwards 127.0.0.1:<port> to a target. `pause()` cuts every open connection and refuses new
 * ones (the database looks down); `resume()` lets connections through again.
 */
export async function startPausableProxy(targetPort: number, targetHost = '127.0.0.1') {
  let paused = false;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => {}); };
  const server = createServer((client) => {
    track(client);
    if (paused) { client.destroy(); return; }
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy did not bind');
  return {
    port: address.port,
    pause(): void {
      paused = true;
      for (const s of sockets) s.destroy();
    },
    resume(): void {
      paused = false;
    },
    close(): Promise<void> {
      paused = true;
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * True when `password` matches a PostgreSQL SCRAM-SHA-256 verifier from pg_authid
 * (`SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>`). The test server trusts loopback
 * logins, so this is how the suites prove which password a role really has.
 */
export function scramMatches(verifier: string, password: string): boolean {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!m) throw new Error('not a SCRAM-SHA-256 verifier');
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(m[2], 'base64'), Number(m[1]), 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const expected = Buffer.from(m[3], 'base64');
  return expected.length === storedKey.length && timingSafeEqual(expected, storedKey);
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
