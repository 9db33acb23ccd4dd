/**
 * The ceiling: a bare node:http server answering every request with a fixed JSON body of a
 * given size. Run as its own process so it gets the same treatment as the Arca server.
 * Usage: node dist/bench/ceiling.js <bodyBytes>; prints the port on stdout.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const size = Math.max(2, Number(process.argv[2] ?? 256));
const body = Buffer.from(JSON.stringify({ data: 'x'.repeat(Math.max(0, size - 12)) }));
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
