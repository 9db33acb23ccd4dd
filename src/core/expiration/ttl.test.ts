import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { calculateTtl, type TtlInput } from './ttl.js';

const T0 = 1_700_000_000_000;

function input(over: Partial<TtlInput>): TtlInput {
  return {
    now: T0, incrementSeconds: 0, backendTtlSeconds: 0, backendMaxTtlSeconds: 0,
    defaultTtlSeconds: 3600, maxTtlSeconds: 7200, issueTime: T0, ...over,
  };
}

describe('calculateTtl', () => {
  it('uses the increment, else the backend TTL, else the mount default', () => {
    assert.equal(calculateTtl(input({ incrementSeconds: 60, backendTtlSeconds: 90 })).ttlSeconds, 60);
    assert.equal(calculateTtl(input({ backendTtlSeconds: 90 })).ttlSeconds, 90);
    assert.equal(calculateTtl(input({})).ttlSeconds, 3600);
    assert.equal(calculateTtl(input({})).expireTime, T0 + 3600_000);
  });

  it('caps at the mount max and at a smaller backend max, with a warning', () => {
    const capped = calculateTtl(input({ incrementSeconds: 10_000 }));
    assert.equal(capped.ttlSeconds, 7200);
    assert.equal(capped.warnings.length, 1);
    assert.equal(calculateTtl(input({ incrementSeconds: 10_000, backendMaxTtlSeconds: 100 })).ttlSeconds, 100);
    // A backend max above the mount max does not raise it.
    assert.equal(calculateTtl(input({ incrementSeconds: 10_000, backendMaxTtlSeconds: 99_999 })).ttlSeconds, 7200);
  });

  it('counts the max from issue time and never passes the max recorded at issue', () => {
    const later = calculateTtl(input({ now: T0 + 7000_000, incrementSeconds: 3600 }));
    assert.equal(later.ttlSeconds, 200);
    assert.equal(later.expireTime, T0 + 7200_000);
    // The mount max was raised after issue: the lease still ends at its original max.
    const raised = calculateTtl(input({ now: T0 + 7000_000, incrementSeconds: 3600, maxTtlSeconds: 100_000, maxExpireTime: T0 + 7200_000 }));
    assert.equal(raised.expireTime, T0 + 7200_000);
  });

  // Known attack: renewing right at the max must not produce a TTL of 0, which a naive
  // implementation (and some clients) read as "never expires".
  it('renewal with 1 s left to max yields a 1 s lease that expires', () => {
    const r = calculateTtl(input({ now: T0 + 7199_000, incrementSeconds: 3600 }));
    assert.equal(r.ttlSeconds, 1);
    assert.equal(r.ttlMs, 1000);
    assert.equal(r.expireTime, T0 + 7200_000);
  });

  it('renewal with under a second left still expires at the max', () => {
    const r = calculateTtl(input({ now: T0 + 7199_500, incrementSeconds: 3600 }));
    assert.equal(r.ttlSeconds, 1);
    assert.equal(r.expireTime, T0 + 7200_000);
  });

  it('renewal with 0 s left is refused', () => {
    assert.throws(() => calculateTtl(input({ now: T0 + 7200_000, incrementSeconds: 3600 })), InvalidRequest);
  });

  it('renewal past the max is refused', () => {
    assert.throws(() => calculateTtl(input({ now: T0 + 9000_000, incrementSeconds: 3600 })), InvalidRequest);
    assert.throws(() => calculateTtl(input({ now: T0 + 9000_000, incrementSeconds: 0 })), InvalidRequest);
  });

  it('refuses a zero max instead of issuing a lease without end', () => {
    assert.throws(() => calculateTtl(input({ maxTtlSeconds: 0 })), InvalidRequest);
  });
});
