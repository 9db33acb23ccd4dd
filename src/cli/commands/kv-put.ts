import { FIELD_FLAGS, HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, defineCommand, formatFrom, println } from '../command.js';
import { FlagError } from '../flags.js';
import type { Secret } from '../format.js';
import { parseKeyValues } from '../kv-args.js';
import { KV_MOUNT_FLAG, headerForMap, kvSetup, printPath } from '../kv-command.js';
import { kvApiPath } from '../kv-paths.js';
import { printWriteMetadata } from '../output.js';

export const kvPutCommand = defineCommand({
  name: 'kv put',
  synopsis: 'Sets or updates data in the KV store',
  help: `Usage: arca kv put [options] KEY [DATA]

  Writes the data to the given path in the key/value secrets engine. On v2 this creates a new
  version; -cas makes the write conditional on the current version. Data is key=value pairs,
  key=@file, key=- (stdin), or a lone "-" for a JSON object on stdin.

      $ arca kv put -mount=secret foo bar=baz`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS, ...KV_MOUNT_FLAG, cas: { kind: 'int', usage: 'Check-and-set: write only if the current version is this (0: only if absent; v2 only).', default: -1 } },
  async run(ctx, flags, args, set) {
    const format = formatFrom(ctx, flags, set);
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected >1, got ${args.length})`); return 1; }
    if (args.length === 1) { println(ctx.stderr, 'Must supply data'); return 1; }
    let data: Record<string, unknown>;
    try { data = await parseKeyValues(args.slice(1), ctx.stdin); } catch (err) {
      if (err instanceof FlagError) { println(ctx.stderr, `Failed to parse K=V data: ${err.message}`); return 1; }
      throw err;
    }
    const setup = await kvSetup(ctx, flags, args.slice(0, 1));
    if (typeof setup === 'number') return setup;
    const { client, target } = setup;
    const fullPath = kvApiPath(target, 'data');
    const body = target.v2 ? { data, options: flags.cas > -1 ? { cas: flags.cas } : {} } : data;
    let secret: Secret | undefined;
    try { secret = (await client.put(fullPath, body)).body as Secret | undefined; } catch (err) {
      return apiFailure(ctx, `Error writing data to ${fullPath}`, err);
    }
    if (!secret) { if (format === 'table') println(ctx.stdout, `Success! Data written to: ${fullPath}`); return 0; }
    return printWriteMetadata(ctx, secret, format, flags.field, () => {
      printPath(ctx, fullPath, 'Secret Path');
      println(ctx.stdout, headerForMap('Metadata', secret.data ?? {}));
    });
  },
});
