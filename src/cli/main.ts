#!/usr/bin/env node
/** The `arca` command: process globals are read here, once, and handed to the commands. */
import { homedir } from 'node:os';
import { COMMANDS } from './commands/index.js';
import type { CliContext } from './command.js';
import { runCli } from './run.js';

function waitForStop(): Promise<string> {
  return new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
}

const ctx: CliContext = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: { ...process.env },
  homeDir: homedir(),
  waitForStop,
};

runCli(COMMANDS, process.argv.slice(2), ctx).then(
  (code) => {
    process.exitCode = code;
    if (process.stdin.isTTY) process.stdin.pause();
  },
  (err: unknown) => {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
