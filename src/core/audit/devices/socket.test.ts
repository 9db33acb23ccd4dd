import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidRequest } from '../../../errors.js';
import { createSocketDevice } from './socket.js';

test('a peer that stops reading fails the write after write_timeout instead of blocking it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-sock-'));
  const path = join(dir, 'audit.sock');
  const peers: Socket[] = [];
  const server = createServer((sock) => { peers.push(sock); sock.pause(); sock.on('error', () => {}); });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    const device = await createSocketDevice({ address: path, socket_type: 'unix', write_timeout: '1' });
    const huge = 'x'.repeat(32 * 1024 * 1024) + '\n';
    await assert.rejects(device.write(huge), { message: 'audit socket write timed out' });
    await device.close();
  } finally {
    for (const p of peers) p.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('udp lines arrive one datagram each; options are validated', async () => {
  const { createSocket } = await import('node:dgram');
  const receiver = createSocket('udp4');
  const got: string[] = [];
  receiver.on('message', (m) => got.push(m.toString('utf8')));
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
  try {
    const device = await createSocketDevice({ address: `127.0.0.1:${receiver.address().port}`, socket_type: 'udp' });
    await Promise.all([device.write('{"a":1}\n'), device.write('{"b":2}\n')]);
    while (got.length < 2) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(got.sort(), ['{"a":1}\n', '{"b":2}\n']);
    await device.close();
  } finally {
    receiver.close();
  }
  await assert.rejects(createSocketDevice({}), InvalidRequest);
  await assert.rejects(createSocketDevice({ address: '127.0.0.1:1', socket_type: 'sctp' }), InvalidRequest);
  await assert.rejects(createSocketDevice({ address: 'nohostport' }), InvalidRequest);
});
