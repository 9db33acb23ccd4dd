import { FIELD_FLAGS, HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { KV_MOUNT_FLAG, kvSetup, printPath, printSection } from '../kv-command.js';
import { kvApiPath } from '../kv-paths.js';
import { printField, printSecret, printWarnings } from '../output.js';

export const kvGetCommand = defineCommand({
  name: 'kv get',
  synopsis: 'Retrieves data from the KV store',
  help: `Usage: arca kv get [options] KEY

  Retrieves the value at KEY from the key/value secrets engine (v1 or v2, detected from the
  mount). On v2 the newest version is returned unless -version is given.

      $ arca kv get -mount=secret foo
      $ arca kv get -version=1 secret/foo`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS, ...KV_MOUNT_FLAG, version: { kind: 'int', usage: 'The version to return (v2 only).', default: 0 } },
  async run(ctx, flags, args, set) {
    const format = formatFrom(ctx, flags, set);
    const setup = await kvSetup(ctx, flags, args);
    if (typeof setup === 'number') return setup;
    const { client, target } = setup;
    const fullPath = kvApiPath(target, 'data');
    const query = target.v2 && flags.version > 0 ? { version: flags.version } : undefined;
    let secret: Secret | undefined;
    try {
      const res = await client.get(fullPath, { query, accept: [404] });
      secret = res.body as Secret | undefined;
      // A 404 counts only when it carries data or warnings (a deleted v2 version).
      if (res.status === 404 && !(secret && ((secret.warnings?.length ?? 0) > 0 || Object.keys(secret.data ?? {}).length > 0))) secret = undefined;
    } catch (err) {
      return apiFailure(ctx, `Error reading ${fullPath}`, err);
    }
    if (!secret) { println(ctx.stderr, `No value found at ${fullPath}`); return 2; }

    if (flags.field) {
      if (!target.v2) return printSecret(ctx, secret, format, flags.field);
      const data = secret.data?.data as Record<string, unknown> | null | undefined;
      if (!data) { println(ctx.stderr, `No data found at ${fullPath}`); return 2; }
      if (flags.field === 'data' && !Object.prototype.hasOwnProperty.call(data, 'data')) return printSecret(ctx, secret, format, 'data');
      return printField(ctx, data[flags.field], flags.field, format, 'map');
    }
    if (secret.wrap_info || format !== 'table') return printSecret(ctx, secret, format);

    printWarnings(ctx, secret);
    if (target.v2) printPath(ctx, fullPath, 'Secret Path');
    const metadata = secret.data?.metadata as Record<string, unknown> | null | undefined;
    if (metadata) { printSection(ctx, 'Metadata', metadata, format); println(ctx.stdout); }
    let data: Record<string, unknown> | null | undefined = secret.data;
    if (target.v2 && data) data = data.data as Record<string, unknown> | null | undefined;
    if (data) printSection(ctx, 'Data', data, format);
    return 0;
  },
});
