import { HTTP_FLAGS, OUTPUT_FLAGS, FIELD_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { printSecret } from '../output.js';

export const readCommand = defineCommand({
  name: 'read',
  synopsis: 'Read data and retrieves secrets',
  help: `Usage: arca read [options] PATH

  Reads the data at PATH.

      $ arca read secret/foo`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length !== 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    const format = formatFrom(ctx, flags, set);
    const path = args[0].replace(/^\/+/, '');
    try {
      const res = await clientFrom(ctx, flags).get(path, { accept: [404] });
      const secret = res.body as Secret | undefined;
      if (res.status === 404 && !secret?.data) { println(ctx.stderr, `No value found at ${path}`); return 2; }
      if (!secret) { println(ctx.stderr, `No value found at ${path}`); return 2; }
      return printSecret(ctx, secret, format, flags.field);
    } catch (err) {
      return apiFailure(ctx, `Error reading ${path}`, err);
    }
  },
});
