/**
 * `npm run bench [-- --quick]`: Arca against a bare node:http ceiling on the same machine, in
 * the same run. Prints a table and writes bench/results.json. Ratios travel between machines;
 * absolute figures do not.
 */
import { cpus, totalmem, platform, release } from 'node:os';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiClient, type Api } from '../test/support/api.js';
import { SCENARIOS, type Scenario } from './scenarios.js';
import { runLoad, rssBytes, startArca, startCeiling, type LoadResult, type ServerProcess } from './processes.js';
import { measureHa } from './ha.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const timing = quick ? { durationSec: 5, warmupSec: 1 } : { durationSec: 15, warmupSec: 3 };
const CONNECTIONS = 64;

interface Row {
  scenario: string;
  arca: LoadResult;
  ceiling: LoadResult;
  ratio: number;
  rssMb: number;
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
  if (arca.non2xx > 0 || arca.errors > 0) row.note = `${arca.non2xx} non-2xx, ${arca.errors} errors`;
  return row;
}

function table(rows: Row[]): string {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'ceiling req/s', 'ratio', 'RSS MB', 'note'];
  const lines = rows.map((r) => [
    r.scenario, r.arca.requestsPerSec.toFixed(0), r.arca.p50Ms.toFixed(1), r.arca.p99Ms.toFixed(1),
    r.ceiling.requestsPerSec.toFixed(0), `${(r.ratio * 100).toFixed(0)}%`, r.rssMb.toFixed(0), r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
}

async function main(): Promise<void> {
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
  const ha = only && !'ha'.includes(only) ? 'not selected' : await measureHa(timing, CONNECTIONS).catch((err: Error) => err.message);
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: +(totalmem() / 2 ** 30).toFixed(1), platform: `${platform()} ${release()}`, node: process.version };
  console.log(`\nArca benchmark (${quick ? 'quick' : 'full'}; ${CONNECTIONS} connections; ${timing.durationSec}s per run) on ${machine.cpus}x ${machine.cpuModel}, node ${machine.node}`);
  console.log(`Idle RSS (durable server after setup): ${idleRssMb.toFixed(0)} MB\n`);
  console.log(table(rows));
  for (const f of failures) console.log(`not measured: ${f.scenario}: ${f.error}`);
  if (typeof ha === 'string') console.log(`\nHA: not measured: ${ha}`);
  else {
    console.log(`\nHA on PostgreSQL (3 nodes, standbys forward to the active):`);
    console.log(`  KV v2 read through the active alone: ${ha.singleNode.requestsPerSec.toFixed(0)} req/s, p99 ${ha.singleNode.p99Ms.toFixed(1)} ms`);
    console.log(`  KV v2 read spread over 3 nodes:      ${ha.threeNodes.requestsPerSec.toFixed(0)} req/s, p99 ${ha.threeNodes.p99Ms.toFixed(1)} ms`);
    console.log(`  failover after kill -9 of the active: ${ha.failoverMs} ms`);
  }
  mkdirSync('bench', { recursive: true });
  writeFileSync(join('bench', 'results.json'), JSON.stringify({ date: new Date().toISOString(), quick, machine, idleRssMb, rows, failures, ha }, null, 2) + '\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
