/**
 * A small concurrent HTTP client for the scale runs, where every request differs (autocannon
 * repeats one body): `concurrency` workers issue requests from `request(i)` until `total` are
 * done or `durationMs` has passed, over keep-alive connections (Node's fetch pool).
 */
export interface LoopRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoopResult {
  count: number;
  seconds: number;
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** First failure (status and body head), for the note. */
  firstError?: string;
}

export interface LoopOptions {
  baseUrl: string;
  concurrency: number;
  total?: number;
  durationMs?: number;
  request(i: number): LoopRequest;
  /** Called every `every` completed requests (progress on stderr). */
  progress?: { every: number; report(done: number): void };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function runClientLoop(opts: LoopOptions): Promise<LoopResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = opts.durationMs === undefined ? Infinity : started + opts.durationMs;
  const total = opts.total ?? Infinity;
  const worker = async (): Promise<void> => {
    while (next < total && performance.now() < deadline) {
      const i = next++;
      const req = opts.request(i);
      const t0 = performance.now();
      try {
        const res = await fetch(opts.baseUrl + req.path, { method: req.method, headers: req.headers, body: req.body });
        const text = await res.text();
        if (res.status >= 400) {
          errors++;
          firstError ??= `${res.status} ${text.slice(0, 200)}`;
        }
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
      latencies.push(performance.now() - t0);
      if (opts.progress && latencies.length % opts.progress.every === 0) opts.progress.report(latencies.length);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: latencies.length, seconds, perSec: latencies.length / seconds,
    p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), errors, firstError,
  };
}
