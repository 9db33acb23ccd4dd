import { HTTP_FLAGS, OUTPUT_FLAGS, FIELD_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { parseKeyValues } from '../kv-args.js';
import { printSecret } from '../output.js';

export const writeCommand = defineCommand({
  name: 'write',
  synopsis: 'Write data, configuration, and secrets',
  help: `Usage: arca write [options] PATH [DATA K=V...]

  Writes data to PATH. Values may be key=value, key=@file, key=- (stdin), or a lone "-" for a
  JSON object on stdin.

      $ arca write secret/foo password=s3cr3t`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS, force: { kind: 'bool', usage: 'Allow writing with no data.' } },
  async run(ctx, flags, args, set) {
    if (args.length === 0) { println(ctx.stderr, 'Not enough arguments (expected 1+, got 0)'); return 1; }
    if (args.length === 1 && !flags.force) { println(ctx.stderr, 'Must supply data or use -force'); return 1; }
    const format = formatFrom(ctx, flags, set);
    const path = args[0].replace(/^\/+/, '');
    const data = await parseKeyValues(args.slice(1), ctx.stdin);
    try {
      const res = await clientFrom(ctx, flags).put(path, data);
      const secret = res.body as Secret | undefined;
      if (res.status === 204 || !secret) {
        println(ctx.stdout, `Success! Data written to: ${path}`);
        return 0;
      }
      return printSecret(ctx, secret, format, flags.field);
    } catch (err) {
      return apiFailure(ctx, `Error writing data to ${path}`, err);
    }
  },
});
