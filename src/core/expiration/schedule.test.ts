import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSchedule } from './schedule.js';

function waitFor(check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > 10_000) return reject(new Error('condition not reached'));
      setTimeout(tick, 5);
    };
    tick();
  });
}

describe('lease schedule', () => {
  it('hands out due ids in due order and skips rescheduled ones', async () => {
    const fired: string[] = [];
    const s = createSchedule({ now: Date.now, onDue: (ids) => fired.push(...ids) });
    const t = Date.now();
    s.set('c', t + 30);
    s.set('a', t + 10);
    s.set('b', t + 20);
    s.set('later', t + 10);
    s.set('later', t + 60_000); // rescheduled: the earlier slot is stale
    await waitFor(() => fired.length >= 3);
    assert.deepEqual(fired, ['a', 'b', 'c']);
    assert.equal(s.size, 1);
    assert.equal(s.peek()?.id, 'later');
    s.remove('later');
    assert.equal(s.size, 0);
    s.stop();
  });

  it('keeps one timer for 100,000 leases and delivers past-due ones in batches', async () => {
    const batches: number[] = [];
    const s = createSchedule({ now: Date.now, batch: 1000, onDue: (ids) => batches.push(ids.length) });
    const t = Date.now();
    s.setMany(Array.from({ length: 100_000 }, (_, i) => [`future-${i}`, t + 3_600_000 + i] as [string, number]));
    assert.equal(s.isArmed(), true);
    assert.equal(s.size, 100_000);
    s.setMany(Array.from({ length: 2500 }, (_, i) => [`past-${i}`, t - 10_000 + i] as [string, number]));
    await waitFor(() => batches.reduce((a, b) => a + b, 0) === 2500);
    assert.deepEqual(batches, [1000, 1000, 500]);
    assert.equal(s.size, 100_000);
    s.stop();
    assert.equal(s.isArmed(), false);
  });
});
