import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalAlias, createLockoutTracker, DEFAULT_LOCKOUT, lockoutConfigOf } from './lockout.js';

test('locks at the threshold, unlocks after the duration, resets the counter after counter_reset', () => {
  let t = 1000;
  const tracker = createLockoutTracker({ now: () => t });
  const cfg = { threshold: 3, durationSeconds: 60, counterResetSeconds: 30, disabled: false };
  assert.equal(tracker.recordFailure('acc', 'bob', cfg), false);
  assert.equal(tracker.recordFailure('acc', 'bob', cfg), false);
  t += 31; // counter reset: starts again at 1
  assert.equal(tracker.recordFailure('acc', 'bob', cfg), false);
  assert.equal(tracker.isLocked('acc', 'bob', cfg), false);
  assert.equal(tracker.recordFailure('acc', 'bob', cfg), false);
  assert.equal(tracker.recordFailure('acc', 'bob', cfg), true);
  assert.equal(tracker.isLocked('acc', 'bob', cfg), true);
  assert.deepEqual(tracker.listLocked(), [{ mountAccessor: 'acc', alias: 'bob' }]);
  assert.equal(tracker.isLocked('other', 'bob', cfg), false);
  t += 60;
  assert.equal(tracker.isLocked('acc', 'bob', cfg), false);
  assert.deepEqual(tracker.listLocked(), []);
});

test('success clears; unlock clears; disabled never locks', () => {
  const tracker = createLockoutTracker({ now: () => 5 });
  const cfg = { ...DEFAULT_LOCKOUT, threshold: 1 };
  assert.equal(tracker.recordFailure('a', 'x', cfg), true);
  assert.equal(tracker.unlock('a', 'x'), true);
  assert.equal(tracker.isLocked('a', 'x', cfg), false);
  tracker.recordFailure('a', 'y', { ...DEFAULT_LOCKOUT, threshold: 2 });
  tracker.recordSuccess('a', 'y');
  assert.equal(tracker.recordFailure('a', 'y', { ...DEFAULT_LOCKOUT, threshold: 2 }), false);
  const off = { ...cfg, disabled: true };
  assert.equal(tracker.recordFailure('a', 'z', off), false);
  assert.equal(tracker.isLocked('a', 'z', off), false);
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
