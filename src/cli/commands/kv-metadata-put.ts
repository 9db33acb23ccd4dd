import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { KV_MOUNT_FLAG, kvSetup } from '../kv-command.js';
import { kvApiPath } from '../kv-paths.js';
import { parseMapFlag } from '../map-flag.js';
import { printSecret } from '../output.js';

export const kvMetadataPutCommand = defineCommand({
  name: 'kv metadata put',
  synopsis: 'Sets or updates key settings in the KV store',
  help: `Usage: arca kv metadata put [options] KEY

  Creates or updates the metadata of a KV v2 secret: -max-versions, -cas-required,
  -delete-version-after and -custom-metadata=key=value (repeatable).

      $ arca kv metadata put -mount=secret -max-versions=5 foo`,
  flags: {
    ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...KV_MOUNT_FLAG,
    'max-versions': { kind: 'int', usage: 'The number of versions to keep (0: the engine default).', default: -1 },
    'cas-required': { kind: 'bool', usage: 'Require check-and-set on every write.' },
    'delete-version-after': { kind: 'string', usage: 'How long a version lives before it is deleted, e.g. "3h25m19s".' },
    'custom-metadata': { kind: 'strings', usage: 'A key=value pair of custom metadata; may be repeated.' },
  },
  async run(ctx, flags, args, set) {
    const format = formatFrom(ctx, flags, set);
    const custom = parseMapFlag('custom-metadata', flags['custom-metadata']);
    const setup = await kvSetup(ctx, flags, args);
    if (typeof setup === 'number') return setup;
    const { client, target } = setup;
    if (!target.v2) { println(ctx.stderr, 'Metadata not supported on KV Version 1'); return 1; }
    const fullPath = kvApiPath(target, 'metadata');
    const data: Record<string, unknown> = {};
    if (flags['max-versions'] >= 0) data.max_versions = flags['max-versions'];
    if (set.has('delete-version-after')) data.delete_version_after = flags['delete-version-after'];
    if (set.has('cas-required')) data.cas_required = flags['cas-required'];
    if (Object.keys(custom).length > 0) data.custom_metadata = custom;
    let secret: Secret | undefined;
    try { secret = (await client.put(fullPath, data)).body as Secret | undefined; } catch (err) {
      return apiFailure(ctx, `Error writing data to ${fullPath}`, err);
    }
    if (!secret) { if (format === 'table') println(ctx.stdout, `Success! Data written to: ${fullPath}`); return 0; }
    return printSecret(ctx, secret, format);
  },
});
