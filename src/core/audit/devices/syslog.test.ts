/**
 * The syslog device against a real local syslog socket: a Unix stream socket we listen on,
 * written to by the real util-linux `logger` the device drives (the machine may have no /dev/log).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createSyslogDeviceFactory } from './syslog.js';
import { requireSystem } from '../../../../test/support/requires.js';

const skip = requireSystem('syslog audit device', {
  install: 'the util-linux "logger" program (Debian package bsdutils)',
  present: () => spawnSync('logger', ['--version']).status === 0,
});

async function listen(): Promise<{ path: string; server: Server; received: () => string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'arca-syslog-')), 'log.sock');
  let text = '';
  const server = createServer((socket) => socket.on('data', (chunk) => { text += chunk.toString('utf8'); }));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { path, server, received: () => text };
}

async function until(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(probe(), 'not received within 5 s');
}

test('entries arrive as syslog messages with the facility, severity info and tag; every line is delivered', { skip }, async () => {
  const sink = await listen();
  const device = await createSyslogDeviceFactory({ socketPath: sink.path })({ facility: 'LOCAL3', tag: 'arca-audit' });
  try {
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ type: 'request', n: i }));
    await Promise.all(lines.map((line) => device.write(line)));
    await until(() => sink.received().includes('"n":49'));
    const messages = sink.received().trim().split('\n');
    assert.equal(messages.length, 50);
    // local3 = 19, info = 6: priority 19 * 8 + 6 = 158
    for (const [i, message] of messages.entries()) assert.match(message, new RegExp(`^<158>.* arca-audit: \\{"type":"request","n":${i}\\}$`));
  } finally {
    await device.close();
    sink.server.close();
  }
});

test('bad options and a missing socket are refused clearly', async () => {
  const factory = createSyslogDeviceFactory({ socketPath: join(tmpdir(), 'arca-no-such-socket') });
  await assert.rejects(factory({ facility: 'nope' }), /unknown facility/);
  await assert.rejects(factory({ tag: 'has space' }), /tag must be/);
  await assert.rejects(factory({}), /no local syslog socket at/);
});
