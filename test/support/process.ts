/** A real `arca server` child process for restart, crash and TLS tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');

export interface ServerChild {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  kill9(): Promise<void>;
}

export async function spawnServer(config: Record<string, unknown>, dir: string, env: NodeJS.ProcessEnv = {}): Promise<ServerChild> {
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawn(process.execPath, [cli, 'server', `-config=${configPath}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: dir, ...env },
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString('utf8'); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString('utf8'); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const check = () => {
      const match = /Listener: (https?:\/\/\S+)/.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${output}`)); });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url,
    child,
    output: () => output,
    async stop() { child.kill('SIGTERM'); return exited; },
    async kill9() { child.kill('SIGKILL'); await exited; },
  };
}

export function sqliteConfig(dir: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    storage: { sqlite: { path: join(dir, 'arca.db') } },
    listener: { tcp: { address: '127.0.0.1:0', tls_disable: true } },
    log_level: 'warn',
    ...extra,
  };
}
