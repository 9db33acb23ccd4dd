/**
 * Slows down repeated bad attempts at quorum ceremonies from one client: after a few failures
 * the client must wait, doubling each time (capped). Unauthenticated endpoints cannot be used
 * to grind shares or keep a ceremony busy.
 */
import { TooManyRequests } from '../../errors.js';

const FREE_FAILURES = 3;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;
const MAX_TRACKED = 10_000;

export function createAttemptThrottle(now: () => number = Date.now) {
  const failures = new Map<string, { count: number; until: number }>();
  return {
    /** Throws TooManyRequests while the client is in its penalty window. */
    check(client: string): void {
      const entry = failures.get(client);
      if (entry && entry.until > now()) throw new TooManyRequests('too many failed attempts; try again later');
    },
    failed(client: string): void {
      if (failures.size >= MAX_TRACKED) failures.delete(failures.keys().next().value as string);
      const entry = failures.get(client) ?? { count: 0, until: 0 };
      entry.count++;
      if (entry.count > FREE_FAILURES) {
        entry.until = now() + Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (entry.count - FREE_FAILURES - 1));
      }
      failures.set(client, entry);
    },
    succeeded(client: string): void {
      failures.delete(client);
    },
  };
}

export type AttemptThrottle = ReturnType<typeof createAttemptThrottle>;
