import { FIELD_FLAGS, HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, defineCommand, formatFrom, println } from '../command.js';
import { mapTable, secretTable, type Secret } from '../format.js';
import { KV_MOUNT_FLAG, headerForMap, kvSetup, printPath } from '../kv-command.js';
import { kvApiPath } from '../kv-paths.js';
import { printSecret, printWarnings } from '../output.js';

export const kvMetadataGetCommand = defineCommand({
  name: 'kv metadata get',
  synopsis: 'Retrieves key metadata from the KV store',
  help: `Usage: arca kv metadata get [options] KEY

  Retrieves the metadata of a KV v2 secret: its settings and every version's times.

      $ arca kv metadata get -mount=secret foo`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS, ...KV_MOUNT_FLAG },
  async run(ctx, flags, args, set) {
    const format = formatFrom(ctx, flags, set);
    const setup = await kvSetup(ctx, flags, args);
    if (typeof setup === 'number') return setup;
    const { client, target } = setup;
    if (!target.v2) { println(ctx.stderr, 'Metadata not supported on KV Version 1'); return 1; }
    const fullPath = kvApiPath(target, 'metadata');
    let secret: Secret | undefined;
    try {
      const res = await client.get(fullPath, { accept: [404] });
      secret = res.status === 404 ? undefined : res.body as Secret | undefined;
    } catch (err) {
      return apiFailure(ctx, `Error reading ${fullPath}`, err);
    }
    if (!secret) { println(ctx.stderr, `No value found at ${fullPath}`); return 2; }
    if (flags.field) return printSecret(ctx, secret, format, flags.field);
    if (secret.wrap_info || format !== 'table') return printSecret(ctx, secret, format);
    const { versions, ...rest } = secret.data ?? {};
    if (!versions) { println(ctx.stderr, `No value found at ${fullPath}`); printSecret(ctx, secret, format); return 2; }
    printPath(ctx, fullPath, 'Metadata Path');
    println(ctx.stdout, headerForMap('Metadata', rest));
    printWarnings(ctx, secret);
    const table = secretTable({ ...secret, warnings: null, data: rest });
    if (table) println(ctx.stdout, table);
    const byVersion = versions as Record<string, Record<string, unknown>>;
    for (const v of Object.keys(byVersion).map(Number).sort((a, b) => a - b)) {
      println(ctx.stdout, `\n${headerForMap(`Version ${v}`, byVersion[String(v)])}`);
      const versionTable = mapTable(byVersion[String(v)]);
      if (versionTable) println(ctx.stdout, versionTable);
    }
    return 0;
  },
});
