/**
 * A tiny metrics registry: counters, gauges and histograms with labels, rendered as
 * Prometheus text (exposition format 0.0.4) or as go-metrics' JSON dump (Vault's default for
 * sys/metrics). No dependency; every series lives in memory for the life of the process.
 */

export type Labels = Record<string, string>;

/** Latency buckets in seconds (Prometheus' defaults, extended down to 100 µs). */
export const DEFAULT_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface HistogramState { counts: number[]; sum: number; count: number; min: number; max: number }

interface Family<T> {
  name: string;
  help: string;
  kind: 'counter' | 'gauge' | 'histogram';
  series: Map<string, { labels: Labels; value: T }>;
}

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.map((k) => `${k}=${labels[k]}`).join(',');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function renderLabels(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.keys(labels).sort().map((k) => `${k}="${escapeLabel(labels[k])}"`);
  if (extra) pairs.push(`${extra[0]}="${escapeLabel(extra[1])}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

function formatNumber(n: number): string {
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return Number.isFinite(n) ? String(n) : 'NaN';
}

export function createMetricsRegistry(options: { prefix?: string; buckets?: number[]; now?: () => number } = {}) {
  const prefix = options.prefix ?? 'arca';
  const buckets = options.buckets ?? DEFAULT_BUCKETS;
  const families = new Map<string, Family<unknown>>();
  /** Gauges computed at scrape time (token count, seal state). */
  const collectors: Array<() => Promise<void> | void> = [];

  function family<T>(name: string, help: string, kind: Family<T>['kind']): Family<T> {
    const full = `${prefix}_${name}`;
    let f = families.get(full) as Family<T> | undefined;
    if (!f) {
      f = { name: full, help, kind, series: new Map() };
      families.set(full, f as Family<unknown>);
    }
    return f;
  }

  function slot<T>(f: Family<T>, labels: Labels, init: () => T): { labels: Labels; value: T } {
    const key = labelKey(labels);
    let s = f.series.get(key);
    if (!s) {
      s = { labels: { ...labels }, value: init() };
      f.series.set(key, s);
    }
    return s;
  }

  return {
    counter(name: string, help: string) {
      const f = family<number>(name, help, 'counter');
      return {
        inc(labels: Labels = {}, by = 1): void { slot(f, labels, () => 0).value += by; },
        get(labels: Labels = {}): number { return f.series.get(labelKey(labels))?.value ?? 0; },
        /** One series, looked up once: for hot paths that count the same labels again and again. */
        series(labels: Labels): { inc(by?: number): void } {
          const s = slot(f, labels, () => 0);
          return { inc(by = 1): void { s.value += by; } };
        },
      };
    },
    gauge(name: string, help: string) {
      const f = family<number>(name, help, 'gauge');
      return {
        set(value: number, labels: Labels = {}): void { slot(f, labels, () => 0).value = value; },
        inc(labels: Labels = {}, by = 1): void { slot(f, labels, () => 0).value += by; },
        get(labels: Labels = {}): number { return f.series.get(labelKey(labels))?.value ?? 0; },
      };
    },
    histogram(name: string, help: string) {
      const f = family<HistogramState>(name, help, 'histogram');
      const init = (): HistogramState => ({ counts: buckets.map(() => 0), sum: 0, count: 0, min: Infinity, max: -Infinity });
      function record(s: HistogramState, seconds: number): void {
        for (let i = 0; i < buckets.length; i++) if (seconds <= buckets[i]) s.counts[i]++;
        s.sum += seconds;
        s.count++;
        if (seconds < s.min) s.min = seconds;
        if (seconds > s.max) s.max = seconds;
      }
      function observe(seconds: number, labels: Labels = {}): void {
        record(slot(f, labels, init).value, seconds);
      }
      return {
        /** Records one observation in seconds. */
        observe,
        /** One series, looked up once: for hot paths that observe the same labels again and again. */
        series(labels: Labels): { observe(seconds: number): void } {
          const s = slot(f, labels, init).value;
          return { observe: (seconds: number) => record(s, seconds) };
        },
        /** Times an async call (failures are observed too). */
        async time<T>(labels: Labels, run: () => Promise<T>): Promise<T> {
          const start = process.hrtime.bigint();
          try {
            return await run();
          } finally {
            observe(Number(process.hrtime.bigint() - start) / 1e9, labels);
          }
        },
        count(labels: Labels = {}): number { return f.series.get(labelKey(labels))?.value.count ?? 0; },
      };
    },
    /** Runs before every scrape: set gauges whose value lives elsewhere. */
    onCollect(collect: () => Promise<void> | void): void { collectors.push(collect); },

    async collect(): Promise<void> {
      for (const c of collectors) {
        try { await c(); } catch { /* a failing collector leaves its gauges as they were */ }
      }
    },

    /** Prometheus text exposition format 0.0.4. */
    renderPrometheus(constLabels: Labels = {}): string {
      const out: string[] = [];
      for (const f of families.values()) {
        out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.kind}`);
        for (const series of f.series.values()) {
          const labels = { ...constLabels, ...series.labels };
          const value = series.value;
          if (f.kind !== 'histogram') {
            out.push(`${f.name}${renderLabels(labels)} ${formatNumber(value as number)}`);
            continue;
          }
          const h = value as HistogramState;
          buckets.forEach((le, i) => out.push(`${f.name}_bucket${renderLabels(labels, ['le', String(le)])} ${h.counts[i]}`));
          out.push(`${f.name}_bucket${renderLabels(labels, ['le', '+Inf'])} ${h.count}`);
          out.push(`${f.name}_sum${renderLabels(labels)} ${formatNumber(h.sum)}`);
          out.push(`${f.name}_count${renderLabels(labels)} ${h.count}`);
        }
      }
      return out.join('\n') + '\n';
    },

    /** go-metrics' in-memory sink dump, the shape Vault answers sys/metrics with by default. */
    renderJson(): Record<string, unknown> {
      const gauges: unknown[] = [];
      const counters: unknown[] = [];
      const samples: unknown[] = [];
      for (const f of families.values()) {
        for (const { labels, value } of f.series.values()) {
          const base = { Name: f.name.replace(/_/g, '.'), Labels: { ...labels } };
          if (f.kind === 'gauge') gauges.push({ ...base, Value: value });
          else if (f.kind === 'counter') {
            const v = value as number;
            counters.push({ ...base, Count: v, Rate: 0, Sum: v, Min: 1, Max: 1, Mean: 1, Stddev: 0 });
          } else {
            const h = value as HistogramState;
            const ms = (s: number) => (h.count ? s * 1000 : 0);
            samples.push({ ...base, Count: h.count, Rate: 0, Sum: ms(h.sum), Min: ms(h.min), Max: ms(h.max), Mean: h.count ? ms(h.sum) / h.count : 0, Stddev: 0 });
          }
        }
      }
      return { Timestamp: new Date(options.now?.() ?? Date.now()).toISOString(), Gauges: gauges, Counters: counters, Samples: samples, Points: [] };
    },
  };
}

export type MetricsRegistry = ReturnType<typeof createMetricsRegistry>;
export type Counter = ReturnType<MetricsRegistry['counter']>;
export type Gauge = ReturnType<MetricsRegistry['gauge']>;
export type Histogram = ReturnType<MetricsRegistry['histogram']>;
