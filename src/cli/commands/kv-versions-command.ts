/** `kv undelete` and `kv destroy`: the same command shape, acting on `-versions` of a KV v2 key. */
import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { KV_MOUNT_FLAG, KV_VERSIONS_FLAG, kvSetup } from '../kv-command.js';
import { kvApiPath, parseVersions } from '../kv-paths.js';
import { printSecret } from '../output.js';

export function kvVersionsCommand(action: 'undelete' | 'destroy', synopsis: string, description: string) {
  const title = action[0].toUpperCase() + action.slice(1);
  return defineCommand({
    name: `kv ${action}`,
    synopsis,
    help: `Usage: arca kv ${action} [options] KEY

  ${description} -versions is required.

      $ arca kv ${action} -mount=secret -versions=3 foo`,
    flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...KV_MOUNT_FLAG, ...KV_VERSIONS_FLAG },
    async run(ctx, flags, args, set) {
      const format = formatFrom(ctx, flags, set);
      if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
      if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
      const versions = parseVersions(flags.versions);
      if (versions.length === 0) { println(ctx.stderr, `No versions provided, use the "-versions" flag to specify the version to ${action}.`); return 1; }
      const setup = await kvSetup(ctx, flags, args);
      if (typeof setup === 'number') return setup;
      const { client, target } = setup;
      if (!target.v2) { println(ctx.stderr, `${title} not supported on KV Version 1`); return 1; }
      const path = kvApiPath(target, action);
      let secret: Secret | undefined;
      try { secret = (await client.put(path, { versions })).body as Secret | undefined; } catch (err) {
        return apiFailure(ctx, `Error writing data to ${path}`, err);
      }
      if (!secret) { if (format === 'table') println(ctx.stdout, `Success! Data written to: ${path}`); return 0; }
      return printSecret(ctx, secret, format);
    },
  });
}
