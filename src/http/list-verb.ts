/**
 * Vault clients (the Go client, the CLI, Terraform) send the custom `LIST` verb, which Node's
 * HTTP parser refuses before any handler runs. We rewrite such a request line to the
 * equivalent `GET <path>?list=true` (Vault treats the two the same) as the bytes arrive,
 * before the parser sees them. To see the bytes in JS, the parser's direct read from the
 * socket handle is turned off for these connections.
 *
 * A rewrite happens only when a chunk starts with a complete `LIST <target> HTTP/1.x` line:
 * clients write each request head in one piece, and a body chunk that happens to start with
 * a full request line is not a case worth handling.
 */
import type { Server } from 'node:http';
import { Server as TlsServer, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';

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

function interceptListLines(socket: Socket | TLSSocket): void {
  const push = socket.push;
  socket.push = function pushRewritten(chunk: unknown, encoding?: BufferEncoding): boolean {
    const rewritten = Buffer.isBuffer(chunk) ? rewriteListRequest(chunk) : undefined;
    return push.call(this, rewritten ?? chunk, encoding);
  };
  const handle = (socket as unknown as { _handle?: { _consumed?: boolean } })._handle;
  if (handle) handle._consumed = true; // keep the HTTP parser on JS 'data' events
}

export function acceptListVerb(server: Server): void {
  const event = server instanceof TlsServer ? 'secureConnection' : 'connection';
  server.prependListener(event, interceptListLines);
}
