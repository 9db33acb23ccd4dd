import { readFile, writeFile } from 'node:fs/promises';
import { defineCommand, println } from '../command.js';
import { formatPolicy, PolicyFormatError } from '../policy-format.js';

export const policyFmtCommand = defineCommand({
  name: 'policy fmt',
  synopsis: 'Formats a policy on disk',
  help: `Usage: arca policy fmt [options] PATH

  Formats a local policy file (HCL or JSON) to the canonical HCL layout, in place. The policy is
  checked first; an invalid policy is left untouched. Comments are not kept.

      $ arca policy fmt my-policy.hcl`,
  flags: {},
  async run(ctx, _flags, args) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    const path = args[0].trim().replace(/^~(?=$|\/)/, ctx.homeDir);
    let text: string;
    try { text = await readFile(path, 'utf8'); } catch (err) {
      println(ctx.stderr, `Error reading source file: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      return 1;
    }
    let formatted: string;
    try { formatted = formatPolicy(text); } catch (err) {
      if (err instanceof PolicyFormatError) { println(ctx.stderr, err.message); return 1; }
      throw err;
    }
    try { await writeFile(path, formatted, { mode: 0o644 }); } catch (err) {
      println(ctx.stderr, `Error writing result: ${(err as NodeJS.ErrnoException).code ?? 'unwritable'}`);
      return 1;
    }
    println(ctx.stdout, `Success! Formatted policy: ${path}`);
    return 0;
  },
});
