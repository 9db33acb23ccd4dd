import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { parseCron } from './cron.js';

const at = (iso: string) => Date.parse(iso);

test('next matching minute for common schedules (UTC)', () => {
  assert.equal(parseCron('* * * * *').next(at('2024-01-01T00:00:30Z')), at('2024-01-01T00:01:00Z'));
  assert.equal(parseCron('*/15 * * * *').next(at('2024-01-01T00:15:00Z')), at('2024-01-01T00:30:00Z'));
  assert.equal(parseCron('0 0 * * SAT'.replace('SAT', '6')).next(at('2024-01-01T10:00:00Z')), at('2024-01-06T00:00:00Z'));
  assert.equal(parseCron('30 2 1 * *').next(at('2024-01-01T03:00:00Z')), at('2024-02-01T02:30:00Z'));
  assert.equal(parseCron('0 9-17/4 * * 1-5').next(at('2024-01-05T17:00:00Z')), at('2024-01-08T09:00:00Z'));
  assert.equal(parseCron('0 0 29 2 *').next(at('2023-03-01T00:00:00Z')), at('2024-02-29T00:00:00Z'));
  // both day fields restricted: either matches (1st of month or a Sunday)
  assert.equal(parseCron('0 0 1 * 0').next(at('2024-01-02T00:00:00Z')), at('2024-01-07T00:00:00Z'));
  assert.equal(parseCron('0 0 * * 7').next(at('2024-01-02T00:00:00Z')), at('2024-01-07T00:00:00Z'));
});

test('rejects malformed expressions', () => {
  for (const bad of ['', '* * * *', '* * * * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '5-1 * * * *', '*/0 * * * *', 'a * * * *']) {
    assert.throws(() => parseCron(bad), InvalidRequest, bad);
  }
  assert.throws(() => parseCron('0 0 31 2 *').next(0), InvalidRequest);
});
