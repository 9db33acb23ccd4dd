/** Child processes for the benchmark: the Arca server, the ceiling, and the load generator. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`process exited (${code}) before ready:\n${seen}`)); });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(); // already gone (killed)
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

export async function startCeiling(bodyBytes: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(here, 'ceiling.js'), String(bodyBytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [, port] = await waitForLine(child, /^(\d+)\n/m);
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, child, stop: stopper(child) };
}

/** An Arca server from a config object (JSON), in its own process. */
export async function startArca(config: Record<string, unknown>, dataDir = mkdtempSync(join(tmpdir(), 'arca-bench-'))): Promise<ServerProcess & { dataDir: string }> {
  const configPath = join(dataDir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawn(process.execPath, [join(root, 'dist', 'src', 'cli', 'main.js'), 'server', `-config=${configPath}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: dataDir },
  });
  child.stderr?.on('data', () => {}); // keep the pipe drained
  const [, url] = await waitForLine(child, /Listener: (https?:\/\/[^\s]+)/);
  return { url, pid: child.pid!, child, dataDir, stop: stopper(child) };
}

/** Resident set size of a process in bytes (Linux). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

const require = createRequire(import.meta.url);

export interface LoadOptions {
  url: string; method: string; headers?: Record<string, string>; body?: string;
  connections: number; durationSec: number; warmupSec: number;
}

/** A warm-up run (discarded), then the measured run. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (opts.warmupSec > 0) await runAutocannon({ ...opts, durationSec: opts.warmupSec });
  return runAutocannon(opts);
}

/** Runs autocannon in its own process (so the generator never shares a core's event loop with a server). */
function runAutocannon(opts: LoadOptions): Promise<LoadResult> {
  const bin = require.resolve('autocannon/autocannon.js');
  const args = [bin, '--json', '-c', String(opts.connections), '-d', String(opts.durationSec), '-m', opts.method];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (opts.body !== undefined) args.push('-b', opts.body);
  args.push(opts.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr.on('data', () => {});
    child.on('exit', (code) => {
      try {
        const json = JSON.parse(out.slice(out.indexOf('{'))) as {
          requests: { average: number; total: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number;
        };
        resolve({
          requestsPerSec: json.requests.average, p50Ms: json.latency.p50, p99Ms: json.latency.p99,
          total: json.requests.total, non2xx: json.non2xx, errors: json.errors,
        });
      } catch (err) {
        reject(new Error(`autocannon failed (exit ${code}): ${(err as Error).message}`));
      }
    });
  });
}
