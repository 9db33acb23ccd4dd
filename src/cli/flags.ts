/**
 * Vault-style flag parsing: `-flag=value`, `-flag value`, `--flag`, booleans (`-flag`,
 * `-flag=false`), repeated flags; parsing stops at the first positional argument or `--`.
 */
export type FlagSpec =
  | { kind: 'string'; usage: string; default?: string }
  | { kind: 'int'; usage: string; default?: number }
  | { kind: 'bool'; usage: string; default?: boolean }
  | { kind: 'strings'; usage: string };

export type FlagSpecs = Record<string, FlagSpec>;

export type FlagValues<S extends FlagSpecs> = {
  [K in keyof S]: S[K] extends { kind: 'string' } ? string
    : S[K] extends { kind: 'int' } ? number
    : S[K] extends { kind: 'bool' } ? boolean
    : string[];
};

export interface Parsed<S extends FlagSpecs> {
  flags: FlagValues<S>;
  /** Names of the flags that were given explicitly. */
  set: Set<string>;
  args: string[];
}

/** A usage error: the CLI prints it with the command's help and exits 1. */
export class FlagError extends Error {}
/** `-h`, `-help` or `--help` was given. */
export class HelpRequested extends Error {}

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

export function parseFlags<S extends FlagSpecs>(specs: S, argv: readonly string[]): Parsed<S> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    values[name] = spec.kind === 'strings' ? [] : spec.default ?? (spec.kind === 'string' ? '' : spec.kind === 'int' ? 0 : false);
  }
  const set = new Set<string>();
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { i++; break; }
    if (arg.length < 2 || arg[0] !== '-') break;
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) throw new FlagError(`bad flag syntax: ${arg}`);
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    let inline: string | undefined = eq === -1 ? undefined : body.slice(eq + 1);
    if (name === 'h' || name === 'help') throw new HelpRequested();
    const spec = specs[name];
    if (!spec) throw new FlagError(`flag provided but not defined: -${name}`);
    set.add(name);
    if (spec.kind === 'bool') {
      if (inline === undefined) values[name] = true;
      else if (TRUE.has(inline)) values[name] = true;
      else if (FALSE.has(inline)) values[name] = false;
      else throw new FlagError(`invalid boolean value for -${name}`);
      continue;
    }
    if (inline === undefined) {
      if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: -${name}`);
      inline = argv[++i];
    }
    if (spec.kind === 'int') {
      if (!/^-?\d+$/.test(inline.trim())) throw new FlagError(`invalid value for -${name}: expected an integer`);
      values[name] = Number(inline.trim());
    } else if (spec.kind === 'strings') {
      (values[name] as string[]).push(inline);
    } else {
      values[name] = inline;
    }
  }
  return { flags: values as FlagValues<S>, set, args: argv.slice(i) };
}

/** The "Command Options" section of a help text. */
export function describeFlags(specs: FlagSpecs): string {
  const lines: string[] = [];
  for (const [name, spec] of Object.entries(specs).sort(([a], [b]) => a.localeCompare(b))) {
    const arg = spec.kind === 'bool' ? '' : spec.kind === 'int' ? '=<int>' : '=<string>';
    const fallback = 'default' in spec && spec.default !== undefined && spec.default !== '' ? ` The default is ${String(spec.default)}.` : '';
    lines.push(`  -${name}${arg}`, `      ${spec.usage}${fallback}`, '');
  }
  return lines.join('\n');
}
