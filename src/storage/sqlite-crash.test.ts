/**
 * Durability under kill -9: a child process writes through the SQLite store and prints each
 * key once its put resolved; the parent kills it mid-stream with SIGKILL, reopens the database
 * and expects every acknowledged key, byte-exact, in a database that passes integrity_check.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSqliteStorage, openSqliteDatabase } from './sqlite.js';

const moduleUrl = new URL('./sqlite.js', import.meta.url).href;

const writer = `
import { createSqliteStorage } from ${JSON.stringify(moduleUrl)};
const s = createSqliteStorage({ path: process.argv[1] });
const value = (i) => Buffer.from('value-' + i + '-' + 'x'.repeat(i % 300));
for (let round = 0; ; round++) {
  const ids = Array.from({ length: 16 }, (_, j) => round * 16 + j);
  await Promise.all(ids.map(async (i) => {
    await s.put('crash/' + i, value(i));
    process.stdout.write(i + '\\n');
  }));
}
`;

const valueOf = (i: number) => Buffer.from(`value-${i}-${'x'.repeat(i % 300)}`);

test('sqlite: every acknowledged write survives kill -9', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'arca-crash-'));
  try {
    const path = join(dir, 'data', 'arca.db');
    const child = spawn(process.execPath, ['--input-type=module', '-e', writer, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let partial = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) acked.push(Number(line));
      if (acked.length >= 400) child.kill('SIGKILL');
    });
    const signal = await exited;
    assert.equal(signal, 'SIGKILL', stderr);
    assert.ok(acked.length >= 400);

    const db = openSqliteDatabase(path);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    db.close();
    const s = createSqliteStorage({ path });
    for (const i of acked) assert.deepEqual(await s.get(`crash/${i}`), valueOf(i), `acknowledged key ${i} lost`);
    await s.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
