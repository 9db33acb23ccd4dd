/**
 * `npm run bench [-- --quick | --scale]`: Arca against a bare node:http ceiling on the same
 * machine, in the same run. Prints a table and writes bench/results.json. Ratios travel between
 * machines; absolute figures do not. Modes: full (default: every scenario, unseal times and a
 * reduced scale run), --quick (shorter runs, smaller scale run), --scale (only the scale run at
 * full size: 1,000,000 KV entries, 100,000 token leases). See bench/README.md.
 */
import { cpus, totalmem, platform, release } from 'node:os';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiClient, type Api } from '../test/support/api.js';
import { SCENARIOS, type Scenario } from './scenarios.js';
import { runLoad, rssBytes, startArca, startCeiling, type LoadResult, type ServerProcess } from './processes.js';
import { measureHa } from './ha.js';
import { measureUnseal, type UnsealFigures } from './unseal.js';
import { measureScale, type ScaleFigures, type ScaleSizes } from './scale.js';
import { BATCH_FACTOR_TARGET, FIRST_REQUEST_MS_TARGET, IDLE_RSS_MB_TARGET, KV_MILLION_RSS_MB_TARGET, TARGETS, verdict } from './targets.js';

const quick = process.argv.includes('--quick');
const scaleOnly = process.argv.includes('--scale');
const mode = scaleOnly ? 'scale' : quick ? 'quick' : 'full';
const SCALE_SIZES: Record<typeof mode, ScaleSizes> = {
  scale: { kvEntries: 1_000_000, tokens: 100_000, readDurationMs: 30_000, concurrency: 64 },
  full: { kvEntries: 50_000, tokens: 20_000, readDurationMs: 15_000, concurrency: 64 },
  quick: { kvEntries: 10_000, tokens: 5_000, readDurationMs: 5_000, concurrency: 64 },
};
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const timing = quick ? { durationSec: 5, warmupSec: 1 } : { durationSec: 15, warmupSec: 3 };
const CONNECTIONS = 64;

interface Row {
  scenario: string;
  arca: LoadResult;
  ceiling: LoadResult;
  ratio: number;
  rssMb: number;
  /** Batch rows: items/s = req/s × items per request. */
  itemsPerSec?: number;
  target?: string;
  note?: string;
}

function arcaConfig(storage: 'durable' | 'inmem', dataDir?: string): Record<string, unknown> {
  return {
    storage: storage === 'inmem' ? { inmem: {} } : { sqlite: { path: join(dataDir ?? '.', 'arca.db') } },
    listener: { tcp: { address: '127.0.0.1:0', tls_disable: true } },
    log_level: 'error',
  };
}

async function bootArca(kind: 'durable' | 'inmem'): Promise<{ proc: ServerProcess; api: Api }> {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-bench-'));
  const proc = await startArca(arcaConfig(kind, dataDir), dataDir);
  const api = apiClient(proc.url);
  const init = await api.call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
  if (init.status !== 200) throw new Error(`init failed: ${init.text}`);
  const unseal = await api.call('PUT', 'sys/unseal', { key: init.json.keys[0] });
  if (unseal.status !== 200 || unseal.json.sealed) throw new Error(`unseal failed: ${unseal.text}`);
  api.token = init.json.root_token;
  const mount = await api.call('POST', 'sys/mounts/secret', { type: 'kv', options: { version: '2' } });
  if (mount.status !== 204) throw new Error(`mount failed: ${mount.text}`);
  return { proc, api };
}

async function measure(scenario: Scenario, servers: Record<'durable' | 'inmem', { proc: ServerProcess; api: Api }>): Promise<Row> {
  const { proc, api } = servers[scenario.server];
  const request = await scenario.prepare(api);
  const sample = await api.call(request.method, request.path, request.body, request.headers);
  if (sample.status >= 400) throw new Error(`${scenario.name}: sample request answered ${sample.status}: ${sample.text}`);
  const ceilingProc = await startCeiling(Buffer.byteLength(sample.text));
  let ceiling: LoadResult;
  try {
    ceiling = await runLoad({ ...timing, connections: CONNECTIONS, url: ceilingProc.url + request.path, method: request.method, headers: request.headers, body: request.body });
  } finally {
    await ceilingProc.stop();
  }
  const arca = await runLoad({ ...timing, connections: CONNECTIONS, url: proc.url + request.path, method: request.method, headers: request.headers, body: request.body });
  const row: Row = { scenario: scenario.name, arca, ceiling, ratio: arca.requestsPerSec / ceiling.requestsPerSec, rssMb: rssBytes(proc.pid) / 1e6 };
  row.itemsPerSec = arca.requestsPerSec * (scenario.itemsPerRequest ?? 1);
  const target = TARGETS[scenario.name];
  if (target) row.target = verdict(target, target.met({ ratio: row.ratio, p99Ms: arca.p99Ms }));
  if (arca.non2xx > 0 || arca.errors > 0) row.note = `${arca.non2xx} non-2xx, ${arca.errors} errors`;
  return row;
}

function table(rows: Row[]): string {
  const header = ['scenario', 'req/s', 'items/s', 'p50 ms', 'p99 ms', 'ceiling req/s', 'ratio', 'RSS MB', 'target', 'note'];
  const lines = rows.map((r) => [
    r.scenario, r.arca.requestsPerSec.toFixed(0), (r.itemsPerSec ?? r.arca.requestsPerSec).toFixed(0), r.arca.p50Ms.toFixed(1), r.arca.p99Ms.toFixed(1),
    r.ceiling.requestsPerSec.toFixed(0), `${(r.ratio * 100).toFixed(0)}%`, r.rssMb.toFixed(0), r.target ?? '', r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
}

/** Batch items/s ÷ single items/s for each batch row whose single row was measured. */
function batchRatios(rows: Row[]): { batch: string; single: string; ratio: number; target: string }[] {
  const pairs = [
    ['transit encrypt batch of 100', 'transit encrypt (aes256-gcm96, 64 B)'],
    ['transit decrypt batch of 100', 'transit decrypt (aes256-gcm96, 64 B)'],
  ];
  const out: { batch: string; single: string; ratio: number; target: string }[] = [];
  for (const [batch, single] of pairs) {
    const b = rows.find((r) => r.scenario === batch);
    const s = rows.find((r) => r.scenario === single);
    if (!b?.itemsPerSec || !s?.itemsPerSec) continue;
    const ratio = b.itemsPerSec / s.itemsPerSec;
    out.push({ batch, single, ratio, target: verdict({ text: `≥ ${BATCH_FACTOR_TARGET}×` }, ratio >= BATCH_FACTOR_TARGET) });
  }
  return out;
}

async function scenarioRows(): Promise<{ rows: Row[]; failures: { scenario: string; error: string }[]; idleRssMb: number }> {
  const servers = { durable: await bootArca('durable'), inmem: await bootArca('inmem') };
  const idleRssMb = rssBytes(servers.durable.proc.pid) / 1e6;
  const rows: Row[] = [];
  const failures: { scenario: string; error: string }[] = [];
  try {
    for (const scenario of SCENARIOS) {
      if (only && !scenario.name.includes(only)) continue;
      try {
        const row = await measure(scenario, servers);
        rows.push(row);
        console.error(`done: ${scenario.name} (${(row.ratio * 100).toFixed(0)}% of ceiling)`);
      } catch (err) {
        failures.push({ scenario: scenario.name, error: (err as Error).message });
        console.error(`skipped: ${scenario.name}: ${(err as Error).message}`);
      }
    }
  } finally {
    await servers.durable.proc.stop();
    await servers.inmem.proc.stop();
  }
  return { rows, failures, idleRssMb };
}

function printUnseal(u: UnsealFigures | string): void {
  if (typeof u === 'string') return void console.log(`\nUnseal: not measured: ${u}`);
  console.log('\nUnseal (process start → unsealed, after a restart on the same data; node start-up is in both):');
  console.log(`  Shamir (1 share): ${u.shamir.restartToUnsealedMs.toFixed(0)} ms; the unseal call alone: ${u.shamir.unsealCallMs.toFixed(1)} ms`);
  console.log(typeof u.pkcs11 === 'string' ? `  pkcs11: ${u.pkcs11}` : `  pkcs11 (SoftHSM2, auto-unseal): ${u.pkcs11.restartToUnsealedMs.toFixed(0)} ms (${(u.pkcs11.restartToUnsealedMs / u.shamir.restartToUnsealedMs).toFixed(2)}× Shamir)`);
  if (typeof u.sealWrapReads === 'string') console.log(`  seal-wrapped reads: ${u.sealWrapReads}`);
  else {
    const { plain, wrapped, ratio } = u.sealWrapReads;
    console.log(`  KV v2 read, pkcs11 node: plain ${plain.requestsPerSec.toFixed(0)} req/s (p99 ${plain.p99Ms.toFixed(1)} ms); seal-wrapped ${wrapped.requestsPerSec.toFixed(0)} req/s (p99 ${wrapped.p99Ms.toFixed(1)} ms): wrapped/plain ${(ratio * 100).toFixed(0)}%`);
  }
}

function printScale(s: ScaleFigures | string): void {
  if (typeof s === 'string') return void console.log(`\nScale: not measured: ${s}`);
  const { kv, leases, sizes } = s;
  console.log(`\nScale (${sizes.kvEntries.toLocaleString('en')} KV v2 entries, ${sizes.tokens.toLocaleString('en')} service tokens with a TTL; ${sizes.concurrency} concurrent clients):`);
  console.log(`  KV writes: ${kv.write.perSec.toFixed(0)} /s (p99 ${kv.write.p99Ms.toFixed(1)} ms, ${kv.write.errors} errors); database ${(kv.dbBytes / 1e6).toFixed(1)} MB`);
  console.log(`  RSS ${kv.rssBeforeMb.toFixed(0)} → ${kv.rssAfterMb.toFixed(0)} MB (+${kv.rssAddedMb.toFixed(0)} MB, heap grown under load included): ${sizes.kvEntries >= 1_000_000
    ? `target ≤ ${KV_MILLION_RSS_MB_TARGET} MB for 1,000,000: ${kv.rssAddedMb <= KV_MILLION_RSS_MB_TARGET ? 'met' : 'missed'}`
    : `no verdict below 1,000,000 entries (the ≤ ${KV_MILLION_RSS_MB_TARGET} MB target is for 1,000,000; run --scale)`}`);
  if (kv.rssAddedAfterWarmupMb !== undefined) console.log(`  after the first 10 % of writes (warm-up: heap sizing): ${kv.rssAfterWarmupMb!.toFixed(0)} → ${kv.rssAfterMb.toFixed(0)} MB (+${kv.rssAddedAfterWarmupMb.toFixed(0)} MB for the other 90 %)`);
  console.log(`  random reads across them: ${kv.randomReads.perSec.toFixed(0)} /s, p50 ${kv.randomReads.p50Ms.toFixed(1)} ms, p99 ${kv.randomReads.p99Ms.toFixed(1)} ms, ${kv.randomReads.errors} errors`);
  console.log(`  token creates: ${leases.create.perSec.toFixed(0)} /s (${leases.create.errors} errors); RSS ${leases.rssBeforeMb.toFixed(0)} → ${leases.rssAfterMb.toFixed(0)} MB = ${leases.rssPer100kTokensMb.toFixed(0)} MB per 100,000 service tokens`);
  console.log(`  after restart: unseal call ${leases.unsealMs.toFixed(0)} ms; first request answered ${leases.firstRequestAfterUnsealMs.toFixed(0)} ms after unseal (target ≤ ${FIRST_REQUEST_MS_TARGET} ms: ${leases.firstRequestAfterUnsealMs <= FIRST_REQUEST_MS_TARGET ? 'met' : 'missed'}); all ${leases.restoredLeases ?? '?'} leases restored ${leases.allLeasesLoadedAfterUnsealMs === undefined ? '(not seen)' : `${leases.allLeasesLoadedAfterUnsealMs.toFixed(0)} ms after unseal`}`);
  if (kv.write.firstError) console.log(`  first KV write error: ${kv.write.firstError}`);
  if (leases.create.firstError) console.log(`  first token create error: ${leases.create.firstError}`);
}

async function main(): Promise<void> {
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: +(totalmem() / 2 ** 30).toFixed(1), platform: `${platform()} ${release()}`, node: process.version };
  let rows: Row[] = [];
  let failures: { scenario: string; error: string }[] = [];
  let idleRssMb: number | undefined;
  let ha: Awaited<ReturnType<typeof measureHa>> | string = 'not selected';
  let unseal: UnsealFigures | string = 'not selected';
  if (!scaleOnly) {
    ({ rows, failures, idleRssMb } = await scenarioRows());
    ha = only && !'ha'.includes(only) ? 'not selected' : await measureHa(timing, CONNECTIONS).catch((err: Error) => err.message);
    unseal = only && !'unseal'.includes(only) ? 'not selected' : await measureUnseal(timing, CONNECTIONS).catch((err: Error) => err.message);
  }
  const scale: ScaleFigures | string = only && !'scale'.includes(only) ? 'not selected'
    : await measureScale(SCALE_SIZES[mode], (line) => console.error(line)).catch((err: Error) => err.message);
  const batches = batchRatios(rows);

  console.log(`\nArca benchmark (${mode}; ${CONNECTIONS} connections; ${timing.durationSec}s per run) on ${machine.cpus}x ${machine.cpuModel}, node ${machine.node}`);
  if (idleRssMb !== undefined) console.log(`Idle RSS (durable server after setup): ${idleRssMb.toFixed(0)} MB (target ≤ ${IDLE_RSS_MB_TARGET} MB: ${idleRssMb <= IDLE_RSS_MB_TARGET ? 'met' : 'missed'})\n`);
  if (!scaleOnly) console.log(table(rows));
  for (const b of batches) console.log(`batch/single items/s: ${b.batch} ÷ ${b.single} = ${b.ratio.toFixed(1)}× (${b.target})`);
  for (const f of failures) console.log(`not measured: ${f.scenario}: ${f.error}`);
  if (typeof ha === 'string') { if (!scaleOnly) console.log(`\nHA: not measured: ${ha}`); }
  else {
    console.log(`\nHA on PostgreSQL (3 nodes; standbys serve KV reads themselves, forward the rest):`);
    console.log(`  KV v2 read through the active alone: ${ha.singleNode.requestsPerSec.toFixed(0)} req/s, p99 ${ha.singleNode.p99Ms.toFixed(1)} ms`);
    console.log(`  KV v2 read spread over 3 nodes:      ${ha.threeNodes.requestsPerSec.toFixed(0)} req/s, p99 ${ha.threeNodes.p99Ms.toFixed(1)} ms`);
    console.log(`  failover after kill -9 of the active: ${ha.failoverMs} ms`);
  }
  if (!scaleOnly) printUnseal(unseal);
  printScale(scale);
  mkdirSync('bench', { recursive: true });
  const file = join('bench', scaleOnly ? 'results-scale.json' : 'results.json');
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), mode, quick, machine, connections: CONNECTIONS, timing, idleRssMb, rows, batchRatios: batches, failures, ha, unseal, scale }, null, 2) + '\n');
  console.error(`wrote ${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
