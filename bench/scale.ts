/**
 * Scale runs on one durable (sqlite, Shamir) server: N KV v2 entries written through the API
 * (write rate, database size, RSS added), random reads across them; then M service tokens with a
 * TTL (each a lease: RSS per 100,000), a restart, and the time from unseal to the first answered
 * request and to all leases restored (the expiration manager's "restored N leases" log line).
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient } from '../test/support/api.js';
import { runClientLoop, type LoopResult } from './client-loop.js';
import { rssBytes, startArca, type ServerProcess } from './processes.js';

export interface ScaleSizes {
  kvEntries: number;
  tokens: number;
  readDurationMs: number;
  concurrency: number;
}

export interface ScaleFigures {
  sizes: ScaleSizes;
  kv: {
    write: LoopResult;
    dbBytes: number;
    rssBeforeMb: number;
    rssAfterMb: number;
    rssAddedMb: number;
    /** RSS at 10 % of the writes: growth after it is what the data holds, not warm-up (heap sizing). */
    rssAfterWarmupMb?: number;
    rssAddedAfterWarmupMb?: number;
    /** RSS added scaled to 1,000,000 entries (linear). */
    rssAddedPerMillionMb: number;
    randomReads: LoopResult;
  };
  leases: {
    create: LoopResult;
    rssBeforeMb: number;
    rssAfterMb: number;
    rssPer100kTokensMb: number;
    restoredLeases?: number;
    unsealMs: number;
    firstRequestAfterUnsealMs: number;
    allLeasesLoadedAfterUnsealMs?: number;
    note?: string;
  };
}

function config(dataDir: string): Record<string, unknown> {
  return {
    storage: { sqlite: { path: join(dataDir, 'arca.db') } },
    listener: { tcp: { address: '127.0.0.1:0', tls_disable: true } },
    log_level: 'info', // the lease restore line is an info line
  };
}

function dbBytes(dataDir: string): number {
  let total = 0;
  for (const f of ['arca.db', 'arca.db-wal', 'arca.db-shm']) {
    try { total += statSync(join(dataDir, f)).size; } catch { /* absent */ }
  }
  return total;
}

const mb = (pid: number) => rssBytes(pid) / 1e6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the restored count when the expiration manager logs it (or undefined on timeout). */
function restoredLine(proc: ServerProcess, timeoutMs: number): Promise<{ count: number; at: number } | undefined> {
  return new Promise((resolve) => {
    let seen = '';
    const timer = setTimeout(() => { proc.child.stderr?.off('data', onData); resolve(undefined); }, timeoutMs);
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      const m = /expiration: restored (\d+) leases/.exec(seen);
      if (m) {
        clearTimeout(timer);
        proc.child.stderr?.off('data', onData);
        resolve({ count: Number(m[1]), at: performance.now() });
      }
    };
    proc.child.stderr?.on('data', onData);
  });
}

export async function measureScale(sizes: ScaleSizes, log: (line: string) => void): Promise<ScaleFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-bench-scale-'));
  let proc = await startArca(config(dataDir), dataDir);
  try {
    const api = apiClient(proc.url);
    const init = await api.call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
    if (init.status !== 200) throw new Error(`init failed: ${init.text}`);
    const key = init.json.keys[0] as string;
    const root = init.json.root_token as string;
    await api.call('PUT', 'sys/unseal', { key });
    api.token = root;
    const mount = await api.call('POST', 'sys/mounts/scale', { type: 'kv', options: { version: '2' } });
    if (mount.status !== 204) throw new Error(`mount failed: ${mount.text}`);
    const headers = { 'X-Vault-Token': root, 'Content-Type': 'application/json' };
    const value = JSON.stringify({ data: { value: 'x'.repeat(100) } });
    const progress = (what: string, total: number) => ({ every: Math.max(1000, Math.floor(total / 10)), report: (n: number) => log(`  ${what}: ${n}/${total}`) });

    // KV entries.
    const kvRssBefore = mb(proc.pid);
    let kvRssWarm: number | undefined;
    const kvProgress = progress('kv writes', sizes.kvEntries);
    const write = await runClientLoop({
      baseUrl: proc.url, concurrency: sizes.concurrency, total: sizes.kvEntries,
      request: (i) => ({ method: 'POST', path: `/v1/scale/data/k${i}`, headers, body: value }),
      progress: { every: kvProgress.every, report: (n) => { kvRssWarm ??= mb(proc.pid); kvProgress.report(n); } },
    });
    await sleep(500);
    const kvRssAfter = mb(proc.pid);
    const randomReads = await runClientLoop({
      baseUrl: proc.url, concurrency: sizes.concurrency, durationMs: sizes.readDurationMs,
      request: () => ({ method: 'GET', path: `/v1/scale/data/k${Math.floor(Math.random() * sizes.kvEntries)}`, headers: { 'X-Vault-Token': root } }),
    });
    const kvDb = dbBytes(dataDir);

    // Service tokens with a TTL: each is a lease.
    const tokenRssBefore = mb(proc.pid);
    const create = await runClientLoop({
      baseUrl: proc.url, concurrency: sizes.concurrency, total: sizes.tokens,
      request: () => ({ method: 'POST', path: '/v1/auth/token/create', headers, body: JSON.stringify({ policies: ['default'], ttl: '768h' }) }),
      progress: progress('tokens', sizes.tokens),
    });
    await sleep(500);
    const tokenRssAfter = mb(proc.pid);

    // Restart: unseal → first answered request, and → all leases restored.
    await proc.stop();
    proc = await startArca(config(dataDir), dataDir);
    const again = apiClient(proc.url, root);
    const restored = restoredLine(proc, 600_000);
    const t0 = performance.now();
    const unseal = await again.call('PUT', 'sys/unseal', { key });
    if (unseal.json?.sealed !== false) throw new Error(`unseal after restart failed: ${unseal.text}`);
    const unsealed = performance.now();
    const first = await again.call('GET', 'auth/token/lookup-self');
    const firstAt = performance.now();
    if (first.status !== 200) throw new Error(`first request after unseal answered ${first.status}`);
    const done = await restored;
    return {
      sizes,
      kv: {
        write, dbBytes: kvDb, rssBeforeMb: kvRssBefore, rssAfterMb: kvRssAfter, rssAddedMb: kvRssAfter - kvRssBefore,
        rssAfterWarmupMb: kvRssWarm, rssAddedAfterWarmupMb: kvRssWarm === undefined ? undefined : kvRssAfter - kvRssWarm,
        rssAddedPerMillionMb: ((kvRssAfter - kvRssBefore) * 1_000_000) / sizes.kvEntries, randomReads,
      },
      leases: {
        create, rssBeforeMb: tokenRssBefore, rssAfterMb: tokenRssAfter,
        rssPer100kTokensMb: ((tokenRssAfter - tokenRssBefore) * 100_000) / sizes.tokens,
        restoredLeases: done?.count,
        unsealMs: unsealed - t0,
        firstRequestAfterUnsealMs: firstAt - unsealed,
        allLeasesLoadedAfterUnsealMs: done && done.at - unsealed,
        note: done ? undefined : 'the "restored N leases" line was not seen within 10 minutes',
      },
    };
  } finally {
    await proc.stop();
  }
}
