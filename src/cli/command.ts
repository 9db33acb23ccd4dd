/** What every command is, and the context main.ts hands it (no process globals inside commands). */
import { ApiError, createClient, TransportError, type Client } from './client.js';
import { FlagError, type FlagSpecs, type FlagValues } from './flags.js';
import { parseFormat, type OutputFormat } from './format.js';
import type { PromptInput } from './prompt.js';
import { clientSettings, type ConnectionFlags, type Env } from './settings.js';

export interface Output { write(text: string): unknown; isTTY?: boolean }

export interface CliContext {
  stdout: Output;
  stderr: Output;
  stdin: PromptInput;
  env: Env;
  homeDir: string;
  /** Starts listening for SIGINT/SIGTERM and resolves with the first one; used by `server`. */
  waitForStop(): Promise<string>;
}

export interface Command<S extends FlagSpecs = FlagSpecs> {
  /** Words after `arca`, e.g. "operator init". */
  name: string;
  synopsis: string;
  /** Usage line and description, Vault's help layout. */
  help: string;
  flags: S;
  run(ctx: CliContext, flags: FlagValues<S>, args: string[], set: Set<string>): Promise<number>;
}

export function defineCommand<S extends FlagSpecs>(command: Command<S>): Command<S> {
  return command;
}

export const HTTP_FLAGS = {
  address: { kind: 'string', usage: 'Address of the Arca server (env ARCA_ADDR or VAULT_ADDR).' },
  'ca-cert': { kind: 'string', usage: 'PEM CA certificate file used to verify the server (env ARCA_CACERT).' },
  'tls-skip-verify': { kind: 'bool', usage: 'Do not verify the server certificate (env ARCA_SKIP_VERIFY). Insecure.' },
} as const satisfies FlagSpecs;

export const OUTPUT_FLAGS = {
  format: { kind: 'string', usage: 'Print the output in the given format: "table" or "json".', default: 'table' },
} as const satisfies FlagSpecs;

export const FIELD_FLAGS = {
  field: { kind: 'string', usage: 'Print only the named field, raw, with no trailing newline when piped.' },
} as const satisfies FlagSpecs;

export function clientFrom(ctx: CliContext, flags: ConnectionFlags): Client {
  return createClient(clientSettings(flags, ctx.env, ctx.homeDir));
}

export function formatFrom(ctx: CliContext, flags: { format: string }, set?: Set<string>): OutputFormat {
  const explicit = set?.has('format') ? flags.format : ctx.env.ARCA_FORMAT || ctx.env.VAULT_FORMAT || flags.format;
  return parseFormat(explicit);
}

export function println(out: Output, text = ''): void {
  out.write(`${text}\n`);
}

/** Vault's PrintRaw: a trailing newline only on a terminal. */
export function printRaw(out: Output, text: string): void {
  out.write(out.isTTY ? `${text}\n` : text);
}

/** Prints `prefix: message` for a failed request and returns Vault's exit code 2. */
export function apiFailure(ctx: CliContext, prefix: string, err: unknown): number {
  if (err instanceof ApiError || err instanceof TransportError) {
    println(ctx.stderr, `${prefix}: ${err.message}`);
    return 2;
  }
  if (err instanceof FlagError) throw err;
  throw err;
}

export function tooManyArgs(ctx: CliContext, expected: string, got: number): number {
  println(ctx.stderr, `Too many arguments (expected ${expected}, got ${got})`);
  return 1;
}
