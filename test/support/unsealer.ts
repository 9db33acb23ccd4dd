/**
 * For the unsealer suites: `arca unsealer ...` runs (one-shot, or a long-running loop whose
 * output is collected), seal-status polling, and checks that no stored secret reached output.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { MAIN } from '../cli-support.js';
import { apiClient } from './api.js';

const BOUND_MS = 60_000;

export interface Run { code: number | null; output: string }

/** `arca <args>` with only PATH, HOME and `env`: no VAULT_* leaking in. */
export function unsealer(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

export interface Loop {
  output(): string;
  /** Resolves once the output matches (fails with the output after a generous bound). */
  waitFor(pattern: RegExp, from?: number): Promise<void>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Resolves with the exit code when the process ends by itself. */
  exited(): Promise<number | null>;
}

export function startUnsealer(args: string[], env: Record<string, string>): Loop {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  const collect = (c: Buffer) => { output += c.toString(); for (const l of listeners) l(); };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    output: () => output,
    waitFor(pattern, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(output.slice(from))) { done(); resolve(); }
        };
        const timer = setTimeout(() => { done(); reject(new Error(`unsealer output never matched ${pattern}:\n${output}`)); }, BOUND_MS);
        const done = () => { clearTimeout(timer); listeners.delete(check); };
        listeners.add(check);
        void exited.then((code) => { if (listeners.has(check)) { done(); reject(new Error(`unsealer exited (${code}) before ${pattern}:\n${output}`)); } });
        check();
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    exited: () => exited,
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function sealStatus(url: string): Promise<any> {
  return (await apiClient(url).call('GET', 'sys/seal-status')).json;
}

/** Polls seal-status until `check` holds; fails with the last status after a generous bound. */
export async function waitForStatus(url: string, check: (s: any) => boolean): Promise<any> {
  const until = Date.now() + BOUND_MS;
  let last: any;
  for (;;) {
    try { last = await sealStatus(url); if (check(last)) return last; } catch (err) { last = err; }
    if (Date.now() > until) throw new Error(`seal status never matched: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every file of a file store: name → content. */
/** The stored keys by name; a write's temporary file (`.<name>.<random>.tmp`, removed once linked) is not a key. */
export function storeContents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (/^\..+\.tmp$/.test(name)) continue;
    out[name] = readFileSync(join(dir, name), 'utf8');
  }
  return out;
}

/** Fails if any secret (as stored, hex, or its base64) appears in `output`. */
export function assertNoSecrets(output: string, secrets: string[]): void {
  assert.ok(secrets.length > 0, 'secrets to look for');
  for (const secret of secrets) {
    const forms = [secret];
    if (/^[0-9a-f]+$/i.test(secret) && secret.length % 2 === 0) forms.push(Buffer.from(secret, 'hex').toString('base64'));
    for (const form of forms) assert.ok(!output.includes(form), 'a secret value appeared in the unsealer output');
  }
}
