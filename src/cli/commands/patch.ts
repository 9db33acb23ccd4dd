import { FIELD_FLAGS, HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import { FlagError } from '../flags.js';
import type { Secret } from '../format.js';
import { parseKeyValues } from '../kv-args.js';
import { sanitizePath } from '../kv-paths.js';
import { printSecret } from '../output.js';
import { MERGE_PATCH } from './kv-patch.js';

export const patchCommand = defineCommand({
  name: 'patch',
  synopsis: 'Patch data, configuration, and secrets',
  help: `Usage: arca patch [options] PATH [DATA K=V...]

  Sends an HTTP PATCH (a JSON merge patch) with the data to PATH. Values may be key=value,
  key=@file, key=- (stdin), or a lone "-" for a JSON object on stdin.

      $ arca patch pki/roles/example allow_localhost=false`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS, force: { kind: 'bool', usage: 'Allow the operation with no data.' } },
  async run(ctx, flags, args, set) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    if (args.length === 1 && !flags.force) { println(ctx.stderr, 'Must supply data or use -force'); return 1; }
    const format = formatFrom(ctx, flags, set);
    const path = sanitizePath(args[0]);
    let data: Record<string, unknown>;
    try { data = await parseKeyValues(args.slice(1), ctx.stdin); } catch (err) {
      if (err instanceof FlagError) { println(ctx.stderr, `Failed to parse K=V data: ${err.message}`); return 1; }
      throw err;
    }
    let secret: Secret | undefined;
    try { secret = (await clientFrom(ctx, flags).request('PATCH', path, { body: data, headers: MERGE_PATCH })).body as Secret | undefined; } catch (err) {
      return apiFailure(ctx, `Error writing data to ${path}`, err);
    }
    if (!secret) { if (format === 'table') println(ctx.stdout, `Success! Data written to: ${path}`); return 0; }
    return printSecret(ctx, secret, format, flags.field);
  },
});
