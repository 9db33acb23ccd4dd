/**
 * The `socket` audit device: lines to `address` over `socket_type` tcp (default), udp or unix.
 * Each write (a batch of lines) must complete within `write_timeout` (default 2s); a write that
 * fails or times out drops the connection and is retried once on a fresh one, so a peer that
 * stops reading can hold a request for at most about two write timeouts, never the server.
 */
import { connect, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { InvalidRequest } from '../../../errors.js';
import { parseDurationSeconds } from '../../../util/duration.js';
import { createBatcher } from './batch.js';
import type { AuditDevice } from './types.js';

interface Transport {
  send(chunk: string, lines: string[]): Promise<void>;
  close(): void;
}

function withTimeout<T>(ms: number, run: (done: (err?: Error | null, value?: T) => void) => void, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new Error('audit socket write timed out'));
    }, ms);
    run((err, value) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value as T);
    });
  });
}

function splitHostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const port = Number(address.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new InvalidRequest('socket audit device: address must be host:port');
  }
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port };
}

async function openStream(type: 'tcp' | 'unix', address: string, timeoutMs: number): Promise<Transport> {
  const target = type === 'unix' ? { path: address } : splitHostPort(address);
  let socket!: Socket;
  await withTimeout<void>(timeoutMs, (done) => {
    socket = connect(target as { path: string } & { host: string; port: number });
    socket.once('connect', () => { socket.off('error', done); done(); });
    socket.once('error', done);
  }, () => socket.destroy());
  let broken: Error | undefined;
  socket.on('error', (err) => { broken = err; });
  socket.on('close', () => { broken ??= new Error('audit socket closed'); });
  socket.setNoDelay(true);
  return {
    send(chunk) {
      if (broken) return Promise.reject(broken);
      return withTimeout<void>(timeoutMs, (done) => { socket.write(chunk, (err) => done(err)); }, () => socket.destroy());
    },
    close() { socket.destroy(); },
  };
}

async function openUdp(address: string, timeoutMs: number): Promise<Transport> {
  const { host, port } = splitHostPort(address);
  const socket: UdpSocket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  socket.on('error', () => {});
  await withTimeout<void>(timeoutMs, (done) => socket.connect(port, host, () => done()), () => socket.close());
  return {
    async send(_chunk, lines) {
      for (const line of lines) {
        await withTimeout<void>(timeoutMs, (done) => socket.send(line, (err) => done(err)), () => {});
      }
    },
    close() { try { socket.close(); } catch { /* already closed */ } },
  };
}

export async function createSocketDevice(options: Record<string, string>): Promise<AuditDevice> {
  const address = options.address ?? '';
  if (!address) throw new InvalidRequest('socket audit device: address is required');
  const socketType = (options.socket_type ?? 'tcp').toLowerCase();
  if (socketType !== 'tcp' && socketType !== 'udp' && socketType !== 'unix') {
    throw new InvalidRequest('socket audit device: socket_type must be tcp, udp or unix');
  }
  let timeoutMs = 2000;
  if (options.write_timeout !== undefined && options.write_timeout !== '') {
    const seconds = parseDurationSeconds(options.write_timeout);
    if (seconds === undefined || seconds <= 0) throw new InvalidRequest('socket audit device: write_timeout must be a positive duration');
    timeoutMs = seconds * 1000;
  }
  const dial = (): Promise<Transport> => (socketType === 'udp'
    ? openUdp(address, timeoutMs)
    : openStream(socketType, address, timeoutMs));

  let transport: Transport | undefined;
  let closed = false;
  const batch = createBatcher(async (lines) => {
    const chunk = lines.join('');
    try {
      transport ??= await dial();
      await transport.send(chunk, lines);
    } catch {
      transport?.close();
      transport = undefined;
      transport = await dial();
      await transport.send(chunk, lines);
    }
  });

  try {
    transport = await dial();
  } catch (err) {
    throw new InvalidRequest(`socket audit device: cannot connect (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }

  return {
    write: (line) => (closed ? Promise.reject(new Error('audit device closed')) : batch.push(line)),
    async reopen() {
      transport?.close();
      transport = undefined;
    },
    async close() {
      closed = true;
      transport?.close();
      transport = undefined;
    },
  };
}
