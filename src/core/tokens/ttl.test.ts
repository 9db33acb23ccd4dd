import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { calculateTtl, PAST_MAX_TTL, type TtlInputs } from './ttl.js';

const DAY = 86400;
const base: TtlInputs = {
  now: 1_000_000, startTime: 1_000_000, increment: 0, backendTtl: 0, period: 0, backendMaxTtl: 0,
  explicitMaxTtl: 0, mountDefaultTtl: 32 * DAY, mountMaxTtl: 32 * DAY,
};

test('creation: no ttl falls back to the mount default', () => {
  assert.equal(calculateTtl(base).ttl, 32 * DAY);
  assert.equal(calculateTtl({ ...base, mountDefaultTtl: 3600 }).ttl, 3600);
});

test('creation: requested ttl is capped by the mount max and explicit max with a warning', () => {
  assert.equal(calculateTtl({ ...base, backendTtl: 60 }).ttl, 60);
  const capped = calculateTtl({ ...base, backendTtl: 40 * DAY });
  assert.equal(capped.ttl, 32 * DAY);
  assert.equal(capped.warnings.length, 1);
  assert.equal(calculateTtl({ ...base, backendTtl: 600, explicitMaxTtl: 120 }).ttl, 120);
  assert.equal(calculateTtl({ ...base, backendTtl: 600, backendMaxTtl: 300 }).ttl, 300);
});

test('renewal: increment wins over the previous ttl, but never past creation + max', () => {
  const start = base.now - 3000;
  assert.equal(calculateTtl({ ...base, startTime: start, increment: 100, backendTtl: 50, mountMaxTtl: 3600 }).ttl, 100);
  assert.equal(calculateTtl({ ...base, startTime: start, increment: 0, backendTtl: 50, mountMaxTtl: 3600 }).ttl, 50);
  assert.equal(calculateTtl({ ...base, startTime: start, increment: 5000, mountMaxTtl: 3600 }).ttl, 600);
  assert.equal(calculateTtl({ ...base, startTime: start, increment: 5000, explicitMaxTtl: 3500 }).ttl, 500);
});

test('periodic: ttl resets to the period, capped by the max ttl, and by explicit max from creation', () => {
  assert.equal(calculateTtl({ ...base, startTime: base.now - 10 * DAY, period: 3600 }).ttl, 3600);
  const capped = calculateTtl({ ...base, period: 3600, mountMaxTtl: 1800 });
  assert.equal(capped.ttl, 1800);
  assert.match(capped.warnings[0], /period/);
  assert.equal(calculateTtl({ ...base, startTime: base.now - 100, period: 3600, explicitMaxTtl: 400 }).ttl, 300);
});

// Known attack: a renewal at (or past) the max TTL computed ttl = 0, which reads as "never expires".
for (const [label, remaining] of [['1 s', 1], ['0', 0], ['negative', -5]] as const) {
  test(`renewal with ${label} left to the max ttl never yields a non-expiring token`, () => {
    const maxTtl = 3600;
    const inputs: TtlInputs = { ...base, startTime: base.now - (maxTtl - remaining), increment: 600, mountMaxTtl: maxTtl };
    if (remaining > 0) {
      assert.equal(calculateTtl(inputs).ttl, remaining);
    } else {
      assert.throws(() => calculateTtl(inputs), (err: unknown) => err instanceof InvalidRequest && err.message === PAST_MAX_TTL);
    }
    // The same through explicit_max_ttl and through a periodic token.
    const viaExplicit: TtlInputs = { ...inputs, mountMaxTtl: 32 * DAY, explicitMaxTtl: maxTtl };
    const viaPeriod: TtlInputs = { ...viaExplicit, period: 600 };
    for (const variant of [viaExplicit, viaPeriod]) {
      if (remaining > 0) assert.equal(calculateTtl(variant).ttl, remaining);
      else assert.throws(() => calculateTtl(variant), InvalidRequest);
    }
  });
}

test('a zero max ttl is refused', () => {
  assert.throws(() => calculateTtl({ ...base, mountMaxTtl: 0 }), InvalidRequest);
});
