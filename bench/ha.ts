/**
 * HA rows for the benchmark: KV read throughput through one node versus spread over three
 * nodes of one PostgreSQL-backed cluster (standbys serve KV reads themselves after a change-feed
 * sync), and the failover time after kill -9 of the active. Skipped when PostgreSQL is not reachable.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { apiClient, type Api } from '../test/support/api.js';
import { portOpen, POSTGRES_URL } from '../test/support/databases.js';
import { changeChannels } from '../src/storage/postgresql-changes.js';
import { runLoad, startArca, type LoadResult, type ServerProcess } from './processes.js';

export interface HaFigures {
  singleNode: LoadResult;
  threeNodes: { requestsPerSec: number; p99Ms: number };
  failoverMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function activeIndex(apis: Api[]): Promise<number> {
  for (;;) {
    for (const [i, api] of apis.entries()) {
      const res = await api.call('GET', 'sys/health').catch(() => undefined);
      if (res?.status === 200) return i;
    }
    await sleep(50);
  }
}

/** Waits until a standby has loaded its read view (after a mount change it reloads it). */
async function servingLocally(api: Api): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const metrics = await api.call('GET', 'sys/metrics?format=prometheus').catch(() => undefined);
    if (metrics?.status === 200) return; // sys/metrics is local-only: it answers once the view is in place
    await sleep(50);
  }
  throw new Error('a standby never started serving reads itself');
}

export async function measureHa(timing: { durationSec: number; warmupSec: number }, connections: number): Promise<HaFigures | string> {
  if (!(await portOpen(5432))) return 'PostgreSQL is not reachable on 127.0.0.1:5432';
  const id = randomBytes(5).toString('hex');
  const table = `arca_bench_kv_${id}`;
  const haTable = `arca_bench_lock_${id}`;
  const config = {
    storage: { postgresql: { connection_url: POSTGRES_URL, table, ha_table: haTable, ha_enabled: 'true' } },
    listener: { tcp: { address: '127.0.0.1:0', tls_disable: true } },
    log_level: 'error',
  };
  const nodes: ServerProcess[] = [];
  try {
    for (let i = 0; i < 3; i++) nodes.push(await startArca(config));
    const apis = nodes.map((n) => apiClient(n.url));
    const init = await apis[0].call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
    for (const api of apis) {
      await api.call('PUT', 'sys/unseal', { key: init.json.keys[0] });
      api.token = init.json.root_token;
    }
    const active = await activeIndex(apis);
    await apis[active].call('POST', 'sys/mounts/secret', { type: 'kv', options: { version: '2' } });
    await apis[active].call('POST', 'secret/data/bench/app', { data: { value: 'x'.repeat(100) } });
    const request = { method: 'GET', headers: { 'X-Vault-Token': init.json.root_token } };
    const path = '/v1/secret/data/bench/app';
    for (const [i, api] of apis.entries()) if (i !== active) await servingLocally(api);
    const singleNode = await runLoad({ ...timing, connections, url: nodes[active].url + path, ...request });
    const spread = await Promise.all(nodes.map((n) => runLoad({ ...timing, connections: Math.ceil(connections / 3), url: n.url + path, ...request })));
    const threeNodes = {
      requestsPerSec: spread.reduce((sum, r) => sum + r.requestsPerSec, 0),
      p99Ms: Math.max(...spread.map((r) => r.p99Ms)),
    };
    const killedAt = Date.now();
    nodes[active].child.kill('SIGKILL');
    await activeIndex(apis.filter((_, i) => i !== active));
    return { singleNode, threeNodes, failoverMs: Date.now() - killedAt };
  } finally {
    for (const node of nodes) await node.stop();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    for (const t of [table, haTable, `${haTable}_nodes`]) await client.query(`DROP TABLE IF EXISTS ${t}`);
    await client.query(`DROP FUNCTION IF EXISTS ${changeChannels(table).changes}_notify()`);
    await client.end();
  }
}
