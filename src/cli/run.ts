/** Finds the command for argv, parses its flags and runs it; returns the exit code. */
import type { CliContext, Command } from './command.js';
import { describeFlags, FlagError, HelpRequested, parseFlags, type FlagSpecs } from './flags.js';

export function findCommand(commands: ReadonlyArray<Command<FlagSpecs>>, argv: readonly string[]): { command?: Command<FlagSpecs>; rest: string[]; words: string[] } {
  let best: Command<FlagSpecs> | undefined;
  let depth = 0;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.length > depth && words.every((w, i) => argv[i] === w)) { best = command; depth = words.length; }
  }
  const words: string[] = [];
  for (const arg of argv) { if (arg.startsWith('-')) break; words.push(arg); }
  return { command: best, rest: argv.slice(depth), words: best ? argv.slice(0, depth) : words };
}

function commandHelp(command: Command<FlagSpecs>): string {
  return `${command.help}\n\nCommand Options:\n\n${describeFlags(command.flags)}`;
}

function usage(commands: ReadonlyArray<Command<FlagSpecs>>, prefix: string[]): string {
  const matching = commands.filter((c) => prefix.every((w, i) => c.name.split(' ')[i] === w));
  const list = matching.length > 0 ? matching : commands;
  const width = Math.max(...list.map((c) => c.name.length));
  const lines = list.map((c) => `    ${c.name.padEnd(width)}    ${c.synopsis}`);
  return `Usage: arca ${prefix.length > 0 ? `${prefix.join(' ')} ` : ''}<command> [args]\n\nCommands:\n${lines.join('\n')}\n`;
}

export async function runCli(commands: ReadonlyArray<Command<FlagSpecs>>, argv: readonly string[], ctx: CliContext): Promise<number> {
  const { command, rest, words } = findCommand(commands, argv);
  if (!command) {
    const asksHelp = argv.length > 0 && argv.every((a, i) => (i < words.length ? true : ['-h', '-help', '--help'].includes(a)));
    const known = commands.some((c) => words.every((w, i) => c.name.split(' ')[i] === w));
    if (asksHelp && known && argv.length > words.length) { ctx.stdout.write(usage(commands, words)); return 0; }
    ctx.stderr.write(usage(commands, known ? words : []));
    return 127;
  }
  let parsed;
  try {
    parsed = parseFlags(command.flags, rest);
  } catch (err) {
    if (err instanceof HelpRequested) { ctx.stdout.write(`${commandHelp(command)}\n`); return 0; }
    if (err instanceof FlagError) { ctx.stderr.write(`${err.message}\n\n${commandHelp(command)}\n`); return 1; }
    throw err;
  }
  try {
    return await command.run(ctx, parsed.flags, parsed.args, parsed.set);
  } catch (err) {
    if (err instanceof FlagError) { ctx.stderr.write(`${err.message}\n`); return 1; }
    throw err;
  }
}
