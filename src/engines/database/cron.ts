/**
 * Standard 5-field cron (minute hour day-of-month month day-of-week), as Vault's
 * rotation_schedule takes it: `*`, lists, ranges and steps; times in UTC. When both day fields
 * are restricted a day matches either (classic cron).
 */
import { InvalidRequest } from '../../errors.js';

export interface CronSchedule {
  source: string;
  /** The first matching minute strictly after `afterMs` (unix ms). */
  next(afterMs: number): number;
}

const BOUNDS: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

function fail(): never {
  throw new InvalidRequest('invalid rotation_schedule: expected a 5-field cron expression');
}

function parseField(text: string, [min, max]: [number, number]): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) fail();
    let lo = min;
    let hi = max;
    if (m[1] === '*') {
      if (!m[4]) star = true;
    } else {
      lo = Number(m[2]);
      hi = m[3] !== undefined ? Number(m[3]) : m[4] ? max : lo;
    }
    const step = m[4] ? Number(m[4]) : 1;
    if (lo < min || hi > max || lo > hi || step < 1) fail();
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, star };
}

export function parseCron(source: string): CronSchedule {
  const fields = source.trim().split(/\s+/);
  if (fields.length !== 5) fail();
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, BOUNDS[i]));
  if (dow.set.has(7)) dow.set.add(0);

  function dayMatches(d: Date): boolean {
    const domOk = dom.set.has(d.getUTCDate());
    const dowOk = dow.set.has(d.getUTCDay());
    if (dom.star || dow.star) return (dom.star || domOk) && (dow.star || dowOk);
    return domOk || dowOk;
  }

  return {
    source,
    next(afterMs) {
      const d = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
      const limit = afterMs + 5 * 366 * 86_400_000;
      while (d.getTime() <= limit) {
        if (!month.set.has(d.getUTCMonth() + 1)) {
          d.setUTCMonth(d.getUTCMonth() + 1, 1);
          d.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!dayMatches(d)) {
          d.setUTCDate(d.getUTCDate() + 1);
          d.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!hour.set.has(d.getUTCHours())) {
          d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
          continue;
        }
        if (!minute.set.has(d.getUTCMinutes())) {
          d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
          continue;
        }
        return d.getTime();
      }
      throw new InvalidRequest('invalid rotation_schedule: it never matches');
    },
  };
}
