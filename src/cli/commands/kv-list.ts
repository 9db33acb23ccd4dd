import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { KV_MOUNT_FLAG, kvSetup } from '../kv-command.js';
import { kvApiPath } from '../kv-paths.js';
import { printData, printList, printSecret } from '../output.js';

export const kvListCommand = defineCommand({
  name: 'kv list',
  synopsis: 'List data or secrets',
  help: `Usage: arca kv list [options] PATH

  Lists the keys at PATH in the key/value secrets engine (v2: from metadata/). Keys ending in
  "/" are folders.

      $ arca kv list -mount=secret my-app/`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...KV_MOUNT_FLAG },
  async run(ctx, flags, args, set) {
    const format = formatFrom(ctx, flags, set);
    const setup = await kvSetup(ctx, flags, args, { exactlyOne: true, allowEmptyWithMount: true });
    if (typeof setup === 'number') return setup;
    const { client, target } = setup;
    const fullPath = kvApiPath(target, 'metadata');
    let secret: Secret | undefined;
    try {
      const res = await client.list(fullPath.endsWith('/') ? fullPath : `${fullPath}/`, { accept: [404] });
      secret = res.status === 404 ? undefined : res.body as Secret | undefined;
    } catch (err) {
      return apiFailure(ctx, `Error listing ${fullPath}`, err);
    }
    if (secret?.wrap_info && secret.wrap_info.ttl !== 0) return printSecret(ctx, secret, format);
    const keys = secret?.data?.keys;
    const ok = Array.isArray(keys);
    if (format !== 'table' && (!secret?.data || !ok)) return printData(ctx, {}, format);
    if (!secret?.data) { println(ctx.stderr, `No value found at ${fullPath}`); return 2; }
    if (!ok) { println(ctx.stderr, `No entries found at ${fullPath}`); return 2; }
    return printList(ctx, (keys as unknown[]).map(String), format);
  },
});
