/**
 * The issue's targets, reported next to each row (the benchmark reports them; tests never assert
 * timings). Keyed by scenario name; `check` returns the verdict text for the row.
 */
export interface RowFigures {
  ratio: number;
  p99Ms: number;
}

export interface Target {
  text: string;
  met(row: RowFigures): boolean;
}

const ratioAtLeast = (min: number, p99Max?: number): Target => ({
  text: `≥ ${(min * 100).toFixed(0)}% of ceiling${p99Max === undefined ? '' : `, p99 ≤ ${p99Max} ms`}`,
  met: (row) => row.ratio >= min && (p99Max === undefined || row.p99Ms <= p99Max),
});

export const TARGETS: Record<string, Target> = {
  'sys/health': ratioAtLeast(0.7),
  'kv v2 read (token, 20-rule policy), file audit on': ratioAtLeast(0.35, 10),
  'kv v2 write (sqlite, durable)': ratioAtLeast(0.1),
  'kv v2 write (inmem)': ratioAtLeast(0.3),
  'transit encrypt (aes256-gcm96, 64 B)': ratioAtLeast(0.3),
  'token create (service)': ratioAtLeast(0.2),
};

export function verdict(target: { text: string }, met: boolean): string {
  return `target ${target.text}: ${met ? 'met' : 'missed'}`;
}

/** Batch items/s must be ≥ 20× single-item items/s. */
export const BATCH_FACTOR_TARGET = 20;
/** Idle RSS ≤ 100 MB; 1,000,000 KV entries add ≤ 50 MB; first request ≤ 2 s after unseal (100,000 leases). */
export const IDLE_RSS_MB_TARGET = 100;
export const KV_MILLION_RSS_MB_TARGET = 50;
export const FIRST_REQUEST_MS_TARGET = 2000;
