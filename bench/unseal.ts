/**
 * Unseal time, Shamir versus pkcs11 (SoftHSM2), and the cost of seal-wrapped reads against plain
 * reads on the pkcs11 node. Each unseal figure is "process start → first unsealed seal-status"
 * after a restart on the same data (node start-up is in both), plus, for Shamir, the unseal call
 * alone (seal, then one `sys/unseal`). SoftHSM2 missing: the pkcs11 figures say why instead.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient, type Api } from '../test/support/api.js';
import { createSoftHsmToken, requireSoftHsm } from '../test/support/softhsm.js';
import { runLoad, startArca, type LoadResult } from './processes.js';

export interface UnsealFigures {
  shamir: { restartToUnsealedMs: number; unsealCallMs: number };
  pkcs11: { restartToUnsealedMs: number } | string;
  sealWrapReads: { plain: LoadResult; wrapped: LoadResult; ratio: number } | string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function config(dataDir: string, seal?: Record<string, unknown>): Record<string, unknown> {
  return {
    storage: { sqlite: { path: join(dataDir, 'arca.db') } },
    listener: { tcp: { address: '127.0.0.1:0', tls_disable: true } },
    log_level: 'error',
    ...(seal ? { seal } : {}),
  };
}

async function untilUnsealed(api: Api): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    const s = await api.call('GET', 'sys/seal-status').catch(() => undefined);
    if (s?.json?.sealed === false) return;
    await sleep(5);
  }
  throw new Error('not unsealed after 30 s');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function shamir(): Promise<UnsealFigures['shamir']> {
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-bench-unseal-'));
  let proc = await startArca(config(dataDir), dataDir);
  const api = apiClient(proc.url);
  const init = await api.call('PUT', 'sys/init', { secret_shares: 1, secret_threshold: 1 });
  if (init.status !== 200) throw new Error(`init failed: ${init.text}`);
  const key = init.json.keys[0] as string;
  await proc.stop();
  const t0 = performance.now();
  proc = await startArca(config(dataDir), dataDir);
  try {
    const again = apiClient(proc.url, init.json.root_token);
    const unseal = await again.call('PUT', 'sys/unseal', { key });
    if (unseal.json?.sealed !== false) throw new Error(`unseal failed: ${unseal.text}`);
    const restartToUnsealedMs = performance.now() - t0;
    const calls: number[] = [];
    for (let i = 0; i < 5; i++) {
      await again.call('PUT', 'sys/seal');
      const t = performance.now();
      await again.call('PUT', 'sys/unseal', { key });
      calls.push(performance.now() - t);
    }
    return { restartToUnsealedMs, unsealCallMs: median(calls) };
  } finally {
    await proc.stop();
  }
}

async function pkcs11(timing: { durationSec: number; warmupSec: number }, connections: number): Promise<Pick<UnsealFigures, 'pkcs11' | 'sealWrapReads'>> {
  const missing = requireSoftHsm('pkcs11 unseal');
  if (missing) return { pkcs11: `skipped: ${missing}`, sealWrapReads: `skipped: ${missing}` };
  const token = createSoftHsmToken(); // sets SOFTHSM2_CONF, which the server processes inherit
  const seal = { pkcs11: token.sealOptions() };
  const dataDir = mkdtempSync(join(tmpdir(), 'arca-bench-unseal-'));
  let proc = await startArca(config(dataDir, seal), dataDir);
  try {
    const api = apiClient(proc.url);
    const init = await api.call('PUT', 'sys/init', { recovery_shares: 1, recovery_threshold: 1 });
    if (init.status !== 200) throw new Error(`init failed: ${init.text}`);
    await untilUnsealed(api);
    await proc.stop();
    const t0 = performance.now();
    proc = await startArca(config(dataDir, seal), dataDir);
    const again = apiClient(proc.url, init.json.root_token);
    await untilUnsealed(again);
    const restartToUnsealedMs = performance.now() - t0;

    let sealWrapReads: UnsealFigures['sealWrapReads'];
    try {
      for (const [path, sealWrap] of [['plain', false], ['wrapped', true]] as const) {
        const m = await again.call('POST', `sys/mounts/${path}`, { type: 'kv', options: { version: '2' }, seal_wrap: sealWrap });
        if (m.status !== 204) throw new Error(`mount ${path}: ${m.text}`);
        const w = await again.call('POST', `${path}/data/app`, { data: { value: 'x'.repeat(100) } });
        if (w.status !== 200) throw new Error(`write ${path}: ${w.text}`);
      }
      const read = (path: string) => runLoad({ ...timing, connections, url: `${proc.url}/v1/${path}/data/app`, method: 'GET', headers: { 'X-Vault-Token': init.json.root_token } });
      const plain = await read('plain');
      const wrapped = await read('wrapped');
      sealWrapReads = { plain, wrapped, ratio: wrapped.requestsPerSec / plain.requestsPerSec };
    } catch (err) {
      sealWrapReads = `failed: ${(err as Error).message}`;
    }
    return { pkcs11: { restartToUnsealedMs }, sealWrapReads };
  } finally {
    await proc.stop();
    token.remove();
  }
}

export async function measureUnseal(timing: { durationSec: number; warmupSec: number }, connections: number): Promise<UnsealFigures> {
  const s = await shamir();
  const p = await pkcs11(timing, connections).catch((err: Error) => ({ pkcs11: `failed: ${err.message}`, sealWrapReads: `failed: ${err.message}` }));
  return { shamir: s, ...p };
}
