/** What the `kv` subcommands share: the -mount flag, the preflight, and Vault's section headers. */
import { clientFrom, println, type CliContext } from './command.js';
import { ApiError, TransportError, type Client } from './client.js';
import { mapTable, type OutputFormat } from './format.js';
import type { FlagSpecs } from './flags.js';
import { NIL_PREFLIGHT, resolveKv, type KvTarget } from './kv-paths.js';
import type { ConnectionFlags } from './settings.js';
import { printData } from './output.js';

export const KV_MOUNT_FLAG = {
  mount: {
    kind: 'string',
    usage: 'The engine mount path; the path argument is then relative to it (e.g. -mount=secret foo).',
  },
} as const satisfies FlagSpecs;

export const KV_VERSIONS_FLAG = {
  versions: { kind: 'strings', usage: 'Versions to act on, comma-separated or repeated.' },
} as const satisfies FlagSpecs;

export interface KvSetup { client: Client; target: KvTarget }

/**
 * Checks the argument count (`min`..`max` positional arguments), then resolves the engine.
 * Returns an exit code on failure. With -mount and no argument, `allowEmpty` lists the mount root.
 */
export async function kvSetup(
  ctx: CliContext,
  flags: ConnectionFlags & { mount: string },
  args: string[],
  expect: { exactlyOne?: boolean; allowEmptyWithMount?: boolean; moreThanOne?: boolean } = { exactlyOne: true },
): Promise<KvSetup | number> {
  if (expect.moreThanOne) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected >1, got ${args.length})`); return 1; }
  } else if (args.length < 1) {
    if (!(expect.allowEmptyWithMount && flags.mount)) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    args = [''];
  } else if (args.length > 1) {
    println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`);
    return 1;
  }
  const client = clientFrom(ctx, flags);
  try {
    return { client, target: await resolveKv(client, args[0], flags.mount) };
  } catch (err) {
    return preflightFailure(ctx, err);
  }
}

/** Vault prints the preflight's error as it is and exits 2. */
function preflightFailure(ctx: CliContext, err: unknown): number {
  if (err instanceof ApiError || err instanceof TransportError || (err instanceof Error && err.message === NIL_PREFLIGHT)) {
    println(ctx.stderr, err.message);
    return 2;
  }
  throw err;
}

/** Vault's padEqualSigns: `== Title ==` centred over a column of the given width. */
export function padEqualSigns(header: string, totalLen: number): string {
  let signs = totalLen - (header.length + 2);
  if (signs <= 0) signs = 4;
  if (signs % 2 !== 0) signs += 1;
  const bar = '='.repeat(signs / 2);
  return `${bar} ${header} ${bar}`;
}

/** Vault's getHeaderForMap: the widest key + four spaces + "Value". */
export function headerForMap(header: string, data: Record<string, unknown>): string {
  const maxKey = Math.max(0, ...Object.keys(data).map((k) => k.length));
  return padEqualSigns(header, maxKey + 4 + 5);
}

/** `== Secret Path ==` followed by the path and a blank line. */
export function printPath(ctx: CliContext, path: string, title: string): void {
  println(ctx.stdout, padEqualSigns(title, path.length));
  println(ctx.stdout, path);
  println(ctx.stdout);
}

/** A titled Key/Value section, as `kv get` and `kv put` print metadata and data. */
export function printSection(ctx: CliContext, title: string, data: Record<string, unknown>, format: OutputFormat): void {
  println(ctx.stdout, headerForMap(title, data));
  if (format === 'table') { const table = mapTable(data); if (table) println(ctx.stdout, table); } else printData(ctx, data, format);
}
