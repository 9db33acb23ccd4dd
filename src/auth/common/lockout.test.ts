import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalAlias, createLockoutTracker, DEFAULT_LOCKOUT, lockoutConfigOf } from './lockout.js';
import { createInmemStorage } from '../../storage/inmem.js';

test('locks at the threshold, unlocks after the duration, resets the counter after counter_reset', async () => {
  let t = 1000;
  const tracker = createLockoutTracker({ now: () => t });
  const cfg = { threshold: 3, durationSeconds: 60, counterResetSeconds: 30, disabled: false };
  assert.equal(await tracker.recordFailure('acc', 'bob', cfg), false);
  assert.equal(await tracker.recordFailure('acc', 'bob', cfg), false);
  t += 31; // counter reset: starts again at 1
  assert.equal(await tracker.recordFailure('acc', 'bob', cfg), false);
  assert.equal(await tracker.isLocked('acc', 'bob', cfg), false);
  assert.equal(await tracker.recordFailure('acc', 'bob', cfg), false);
  assert.equal(await tracker.recordFailure('acc', 'bob', cfg), true);
  assert.equal(await tracker.isLocked('acc', 'bob', cfg), true);
  assert.deepEqual(tracker.listLocked(), [{ mountAccessor: 'acc', alias: 'bob' }]);
  assert.equal(await tracker.isLocked('other', 'bob', cfg), false);
  t += 60;
  assert.equal(await tracker.isLocked('acc', 'bob', cfg), false);
  assert.deepEqual(tracker.listLocked(), []);
});

test('success clears; unlock clears; disabled never locks', async () => {
  const tracker = createLockoutTracker({ now: () => 5 });
  const cfg = { ...DEFAULT_LOCKOUT, threshold: 1 };
  assert.equal(await tracker.recordFailure('a', 'x', cfg), true);
  assert.equal(await tracker.unlock('a', 'x'), true);
  assert.equal(await tracker.isLocked('a', 'x', cfg), false);
  await tracker.recordFailure('a', 'y', { ...DEFAULT_LOCKOUT, threshold: 2 });
  await tracker.recordSuccess('a', 'y');
  assert.equal(await tracker.recordFailure('a', 'y', { ...DEFAULT_LOCKOUT, threshold: 2 }), false);
  const off = { ...cfg, disabled: true };
  assert.equal(await tracker.recordFailure('a', 'z', off), false);
  assert.equal(await tracker.isLocked('a', 'z', off), false);
});

test('canonical alias folds case and surrounding spaces (lockout-bypass advisory)', () => {
  assert.equal(canonicalAlias('  Bob '), 'bob');
  assert.equal(canonicalAlias('BOB'), canonicalAlias('bob'));
});

test('mount tune user_lockout_config overrides the defaults', () => {
  assert.deepEqual(lockoutConfigOf({}), DEFAULT_LOCKOUT);
  assert.deepEqual(
    lockoutConfigOf({ userLockoutConfig: { lockout_threshold: '2', lockout_duration: '1m', lockout_counter_reset: 10, lockout_disable: false } }),
    { threshold: 2, durationSeconds: 60, counterResetSeconds: 10, disabled: false },
  );
  assert.equal(lockoutConfigOf({ userLockoutConfig: { lockout_disable: true } }).disabled, true);
});

test('a lock is stored: it survives a restart (load) and an unlock or expiry removes it', async () => {
  let t = 100;
  const storage = createInmemStorage();
  const cfg = { threshold: 2, durationSeconds: 60, counterResetSeconds: 30, disabled: false };
  const first = createLockoutTracker({ now: () => t, storage });
  await first.load();
  await first.recordFailure('acc/1', 'carol', cfg);
  assert.deepEqual(await storage.list(''), [], 'a failure below the threshold is not stored');
  assert.equal(await first.recordFailure('acc/1', 'carol', cfg), true);
  assert.equal(await first.recordFailure('acc', 'dave/x', { ...cfg, threshold: 1 }), true);

  const restarted = createLockoutTracker({ now: () => t, storage });
  await restarted.load();
  assert.equal(await restarted.isLocked('acc/1', 'carol', cfg), true);
  assert.equal(await restarted.isLocked('acc', 'dave/x', cfg), true);
  assert.deepEqual(restarted.listLocked().map((l) => `${l.mountAccessor} ${l.alias}`).sort(), ['acc dave/x', 'acc/1 carol']);
  assert.equal(await restarted.unlock('acc/1', 'carol'), true);
  t += 60;
  assert.equal(await restarted.isLocked('acc', 'dave/x', cfg), false, 'expired');

  const again = createLockoutTracker({ now: () => t, storage });
  await again.load();
  assert.deepEqual(again.listLocked(), []);
  assert.deepEqual(await storage.list(''), []);
});
