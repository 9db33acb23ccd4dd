import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import { printList } from '../output.js';

export const listCommand = defineCommand({
  name: 'list',
  synopsis: 'List data or secrets',
  help: `Usage: arca list [options] PATH

  Lists the keys under PATH.

      $ arca list secret/`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length !== 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    const format = formatFrom(ctx, flags, set);
    const path = args[0].replace(/^\/+/, '').replace(/\/?$/, '/');
    try {
      const res = await clientFrom(ctx, flags).list(path, { accept: [404] });
      const keys = (res.body as { data?: { keys?: string[] } } | undefined)?.data?.keys;
      if (res.status === 404 || !keys || keys.length === 0) { println(ctx.stderr, `No value found at ${path}`); return 2; }
      return printList(ctx, keys, format);
    } catch (err) {
      return apiFailure(ctx, `Error listing ${path}`, err);
    }
  },
});
