/**
 * Vault clients (the Go client, the CLI, Terraform) send the custom `LIST` verb, which Node's
 * HTTP parser refuses. Vault treats `LIST <path>` as `GET <path>?list=true`, and so do we.
 *
 * Connections start on Node's fast path: its native parser reads the socket itself, with no
 * JavaScript per chunk. The first LIST on a connection — whichever request it is on a kept-alive
 * connection — makes that parser fail (HPE_INVALID_METHOD, at the "S") and the server hands us
 * the socket ('clientError') with the bytes it was parsing. We take the connection over from
 * there: Node's parser is detached, and the bytes from the LIST on (and everything the client
 * sends after) reach a fresh HTTP connection through a proxy stream that rewrites each chunk
 * starting with a complete `LIST <target> HTTP/1.x` line (clients write each request head in one
 * piece). Responses go straight to the socket, after any the old parser still had in flight.
 * Any other client error gets Node's own answer.
 */
import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { Server as TlsServer, type TLSSocket } from 'node:tls';

const LIST_LINE = /^LIST ([^ \r\n]+) (HTTP\/1\.[01])\r\n/;
const L = 0x4c;

export function rewriteListRequest(chunk: Buffer): Buffer | undefined {
  if (chunk.length < 6 || chunk[0] !== L || chunk.toString('latin1', 0, 5) !== 'LIST ') return undefined;
  const match = LIST_LINE.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 8192)));
  if (!match) return undefined;
  const [line, target, version] = match;
  const listed = `${target}${target.includes('?') ? '&' : '?'}list=true`;
  return Buffer.concat([Buffer.from(`GET ${listed} ${version}\r\n`, 'latin1'), chunk.subarray(line.length)]);
}

interface ParseError extends Error {
  code?: string;
  bytesParsed?: number;
  rawPacket?: Buffer;
}

/**
 * The bytes from the start of the LIST request the parser failed on, or undefined when the
 * error is something else. It fails at the "S" (after "LI", a prefix of LINK); when "L" or "LI"
 * ended an earlier chunk they are put back. The bytes may stop before the line ends.
 */
export function listRequestBytes(err: ParseError): Buffer | undefined {
  const { code, bytesParsed: at, rawPacket } = err;
  if (code !== 'HPE_INVALID_METHOD' || !Buffer.isBuffer(rawPacket) || typeof at !== 'number' || at > rawPacket.length) return undefined;
  const bytes = at >= 2 ? rawPacket.subarray(at - 2) : Buffer.concat([Buffer.from('LI'.slice(0, 2 - at), 'latin1'), rawPacket]);
  // The chunk may end inside the method ("LIS"): the rest follows on the socket.
  const start = bytes.toString('latin1', 0, 5);
  return start === 'LIST ' || (bytes.length < 5 && 'LIST '.startsWith(start)) ? bytes : undefined;
}

/** Node's own listeners on a connection's socket (lib/_http_server.js), detached on takeover. */
const NODE_LISTENERS: Record<string, readonly string[]> = {
  data: ['bound socketOnData'], end: ['bound socketOnEnd'], drain: ['bound socketOnDrain'],
  timeout: ['socketOnTimeout'], resume: ['onSocketResume'], pause: ['onSocketPause'],
};

interface NodeParser { _consumed?: boolean; unconsume(): void; remove(): void }
type HttpSocket = Socket & { parser?: NodeParser | null; _httpMessage?: (NodeJS.EventEmitter & { _headerSent?: boolean }) | null };

const PROXY = Symbol('arca.listProxy');

/** A stream in the socket's place for a fresh HTTP connection: reads rewritten, writes passed on. */
function proxyFor(socket: HttpSocket): Duplex {
  const tls = socket as unknown as TLSSocket;
  const proxy = new Duplex({
    read() { socket.resume(); },
    write(chunk, encoding, callback) { socket.write(chunk, encoding, callback); },
    final(callback) { socket.end(); callback(); },
    destroy(err, callback) { socket.destroy(err ?? undefined); callback(err); },
  });
  Object.assign(proxy, {
    [PROXY]: true,
    encrypted: tls.encrypted,
    setTimeout(ms: number, onTimeout?: () => void) {
      socket.setTimeout(ms);
      if (onTimeout) proxy.once('timeout', onTimeout);
      return proxy;
    },
    setNoDelay: (noDelay?: boolean) => { socket.setNoDelay(noDelay); return proxy; },
    setKeepAlive: (enable?: boolean, delay?: number) => { socket.setKeepAlive(enable, delay); return proxy; },
    getPeerCertificate: typeof tls.getPeerCertificate === 'function' ? (detailed?: boolean) => tls.getPeerCertificate(detailed as true) : undefined,
  });
  for (const name of ['remoteAddress', 'remotePort', 'remoteFamily', 'localAddress', 'localPort', 'authorized', 'authorizationError'] as const) {
    Object.defineProperty(proxy, name, { get: () => (socket as unknown as Record<string, unknown>)[name] });
  }
  return proxy;
}

/** Runs `start` once no response of the old parser is in flight on the socket (pipelined requests). */
function whenIdle(socket: HttpSocket, start: () => void): void {
  const busy = socket._httpMessage;
  if (!busy) return start();
  busy.once('finish', () => whenIdle(socket, start));
}

function takeOver(server: Server, socket: HttpSocket, first: Buffer): void {
  for (const [event, names] of Object.entries(NODE_LISTENERS)) {
    for (const listener of socket.listeners(event)) {
      if (names.includes(listener.name)) socket.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  const parser = socket.parser;
  if (parser) {
    if (parser._consumed) {
      parser.unconsume();
      parser._consumed = false;
    }
    parser.remove(); // out of the server's request-timeout checks: its connection is over
  }
  const proxy = proxyFor(socket);
  // The LIST line may arrive in pieces: its bytes are held until the line is complete.
  let head: Buffer | undefined = first;
  const feed = (chunk: Buffer) => {
    if (head !== undefined) {
      chunk = Buffer.concat([head, chunk]);
      if (chunk.indexOf('\r\n') === -1 && chunk.length < 8192) {
        head = chunk;
        return;
      }
      head = undefined;
    }
    if (!proxy.push(rewriteListRequest(chunk) ?? chunk)) socket.pause();
  };
  feed(Buffer.alloc(0));
  socket.on('data', feed);
  socket.on('end', () => proxy.push(null));
  socket.on('close', () => proxy.destroy());
  socket.on('timeout', () => {
    if (proxy.listenerCount('timeout') > 0) proxy.emit('timeout');
    else socket.destroy();
  });
  whenIdle(socket, () => {
    if (!socket.destroyed) server.emit(server instanceof TlsServer ? 'secureConnection' : 'connection', proxy);
  });
}

const CLIENT_ERROR_STATUS: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431, HPE_CHUNK_EXTENSIONS_OVERFLOW: 413, ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/** What Node does for a client error when nobody listens for 'clientError'. */
function refuse(err: ParseError, socket: HttpSocket): void {
  if (socket.writable && (!socket._httpMessage || !socket._httpMessage._headerSent)) {
    const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? 400;
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`, 'latin1');
  }
  socket.destroy(err);
}

export function acceptListVerb(server: Server): void {
  server.on('clientError', (err: ParseError, socket: HttpSocket) => {
    const list = (socket as unknown as Record<symbol, unknown>)[PROXY] ? undefined : listRequestBytes(err);
    if (list) takeOver(server, socket, list);
    else refuse(err, socket);
  });
}
