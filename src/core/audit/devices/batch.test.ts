import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBatcher } from './batch.js';

test('lines pushed in one turn, or while a write is in flight, go out in one write', async () => {
  const writes: string[][] = [];
  let release!: () => void;
  let gate: Promise<void> | undefined = new Promise((r) => { release = r; });
  const batch = createBatcher(async (lines) => {
    writes.push(lines);
    if (gate) { const g = gate; gate = undefined; await g; }
  });
  const first = [batch.push('a'), batch.push('b')];
  await new Promise((r) => setImmediate(r));
  const second = [batch.push('c'), batch.push('d'), batch.push('e')]; // first write still in flight
  release();
  await Promise.all([...first, ...second]);
  assert.deepEqual(writes, [['a', 'b'], ['c', 'd', 'e']]);
});

test('a failed write rejects exactly the lines it held; later lines are written', async () => {
  let fail = true;
  const written: string[] = [];
  const batch = createBatcher(async (lines) => {
    if (fail) { fail = false; throw new Error('disk full'); }
    written.push(...lines);
  });
  const results = await Promise.allSettled([batch.push('x'), batch.push('y')]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  await batch.push('z');
  assert.deepEqual(written, ['z']);
});
