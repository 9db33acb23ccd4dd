import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SealedError } from '../../errors.js';
import { createSessionPool } from './session-pool.js';

function counter() {
  let next = 0;
  const closed: number[] = [];
  return { closed, pool: createSessionPool<number>({ max: 2, open: () => ++next, close: (h) => { closed.push(h); } }) };
}

test('session pool: bounded, reuses idle handles, waiters served in order', async () => {
  const { pool } = counter();
  const a = await pool.acquire();
  const b = await pool.acquire();
  assert.deepEqual([a, b], [1, 2]);
  const order: number[] = [];
  const c = pool.acquire().then((h) => { order.push(h); return h; });
  const d = pool.acquire().then((h) => { order.push(h); return h; });
  assert.equal(pool.open, 2);
  pool.release(b);
  pool.release(a);
  assert.deepEqual([await c, await d], [2, 1]);
  assert.deepEqual(order, [2, 1]);
});

test('session pool: an aborted waiter leaves the queue; broken and invalidated handles are closed', async () => {
  const { pool, closed } = counter();
  const a = await pool.acquire();
  const b = await pool.acquire();
  const controller = new AbortController();
  const waiting = pool.acquire(controller.signal);
  controller.abort(new Error('gave up'));
  await assert.rejects(waiting, /gave up/);
  pool.release(a, true);
  assert.deepEqual(closed, [1]);
  pool.release(b);
  pool.invalidate();
  assert.deepEqual(closed, [1, 2]);
  assert.equal(pool.open, 0);
  assert.equal(await pool.acquire(), 3);
});

test('session pool: close rejects waiters and closes handles as they come back', async () => {
  const { pool, closed } = counter();
  const a = await pool.acquire();
  await pool.acquire();
  const waiting = pool.acquire();
  pool.close();
  await assert.rejects(waiting, SealedError);
  pool.release(a);
  assert.deepEqual(closed, [1]);
  await assert.rejects(pool.acquire(), SealedError);
});
