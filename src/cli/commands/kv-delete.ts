import { FIELD_FLAGS, HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { KV_MOUNT_FLAG, KV_VERSIONS_FLAG, kvSetup } from '../kv-command.js';
import { kvApiPath, parseVersions } from '../kv-paths.js';
import { printSecret } from '../output.js';

export const kvDeleteCommand = defineCommand({
  name: 'kv delete',
  synopsis: 'Deletes versions in the KV store',
  help: `Usage: arca kv delete [options] PATH

  Deletes the data at PATH. On v2 this soft-deletes the newest version (or the -versions given);
  "kv undelete" restores them and "kv destroy" removes them for good.

      $ arca kv delete -mount=secret foo
      $ arca kv delete -mount=secret -versions=1,2 foo`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS, ...KV_MOUNT_FLAG, ...KV_VERSIONS_FLAG },
  async run(ctx, flags, args, set) {
    const format = formatFrom(ctx, flags, set);
    const setup = await kvSetup(ctx, flags, args);
    if (typeof setup === 'number') return setup;
    const { client, target } = setup;
    const fullPath = kvApiPath(target, 'data');
    let secret: Secret | undefined;
    try {
      const versions = parseVersions(flags.versions);
      const res = target.v2 && versions.length > 0
        ? await client.put(kvApiPath(target, 'delete'), { versions })
        : await client.delete(fullPath);
      secret = res.body as Secret | undefined;
    } catch (err) {
      return apiFailure(ctx, `Error deleting ${fullPath}`, err);
    }
    if (!secret) { if (format === 'table') println(ctx.stdout, `Success! Data deleted (if it existed) at: ${fullPath}`); return 0; }
    return printSecret(ctx, secret, format, flags.field);
  },
});
