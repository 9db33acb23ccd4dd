/**
 * Shared by the CLI integration tests: real `arca server` child processes on ephemeral ports
 * (port 0, the bound address read back from the "Listener:" line, so no other test can take
 * the port between a probe and the bind) and `arca` client runs with an isolated environment
 * (PATH and the given variables only: no VAULT_* or ARCA_* leaking in, and a private HOME so
 * no token file is shared between suites).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MAIN = join(ROOT, 'dist/src/cli/main.js');
const START_TIMEOUT_MS = 30_000;

export interface Result { code: number | null; stdout: string; stderr: string }

export function arca(args: string[], env: Record<string, string>, stdin?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A command that exits without reading its stdin closes the pipe first (EPIPE): its exit code tells.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin ?? '');
  });
}

export interface Running { child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> }

/** Starts `arca server ...` and waits for its "started" line; fails with its output if it exits or hangs. */
export async function startArca(args: string[], env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [MAIN, 'server', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${out}`)); }, START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const listener = /Listener: (https?:\/\/\S+)/.exec(out);
      if (listener && out.includes('Arca server started')) { clearTimeout(timer); resolve(listener[1]); }
    });
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`server exited with ${code} before starting:\n${out}`)); });
  });
  return { child, url, output: () => out, exited };
}

export async function stopArca(server: Running | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, 'server exits 0 on SIGTERM');
}

export interface DevCli {
  server: Running;
  home: string;
  /** VAULT_ADDR, VAULT_TOKEN=root and the private HOME. */
  env: Record<string, string>;
  run(args: string[], stdin?: string, extraEnv?: Record<string, string>): Promise<Result>;
  close(): Promise<void>;
}

/** A dev server with root token "root" and a client environment pointed at it. */
export async function startDevCli(): Promise<DevCli> {
  const home = await mkdtemp(join(tmpdir(), 'arca-cli-home-'));
  const server = await startArca(['-dev', '-dev-listen-address', '127.0.0.1:0', '-dev-root-token-id', 'root'], { HOME: home });
  const env = { HOME: home, VAULT_ADDR: server.url, VAULT_TOKEN: 'root' };
  return {
    server, home, env,
    run: (args, stdin, extraEnv = {}) => arca(args, { ...env, ...extraEnv }, stdin),
    async close() { await stopArca(server); await rm(home, { recursive: true, force: true }); },
  };
}

/** Parses stdout as JSON, failing with the whole result when it is not. */
export function jsonOf(result: Result): any {
  assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

export function ok(result: Result): Result {
  assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}
