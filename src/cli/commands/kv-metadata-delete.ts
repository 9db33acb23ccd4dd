import { HTTP_FLAGS, apiFailure, defineCommand, println } from '../command.js';
import { KV_MOUNT_FLAG, kvSetup } from '../kv-command.js';
import { kvApiPath } from '../kv-paths.js';

export const kvMetadataDeleteCommand = defineCommand({
  name: 'kv metadata delete',
  synopsis: 'Deletes all versions and metadata for a key in the KV store',
  help: `Usage: arca kv metadata delete [options] PATH

  Deletes a KV v2 secret entirely: every version and its metadata.

      $ arca kv metadata delete -mount=secret foo`,
  flags: { ...HTTP_FLAGS, ...KV_MOUNT_FLAG },
  async run(ctx, flags, args) {
    const setup = await kvSetup(ctx, flags, args);
    if (typeof setup === 'number') return setup;
    const { client, target } = setup;
    if (!target.v2) { println(ctx.stderr, 'Metadata not supported on KV Version 1'); return 1; }
    const fullPath = kvApiPath(target, 'metadata');
    try { await client.delete(fullPath); } catch (err) {
      return apiFailure(ctx, `Error deleting ${fullPath}`, err);
    }
    println(ctx.stdout, `Success! Data deleted (if it existed) at: ${fullPath}`);
    return 0;
  },
});
