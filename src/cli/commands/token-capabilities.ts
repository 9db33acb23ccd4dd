import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { printData } from '../output.js';

export const tokenCapabilitiesCommand = defineCommand({
  name: 'token capabilities',
  synopsis: 'Print capabilities of a token on a path',
  help: `Usage: arca token capabilities [options] [TOKEN] PATH

  Prints the capabilities of a token on a path. Without TOKEN, the authenticated token's
  capabilities are shown (sys/capabilities-self).

      $ arca token capabilities secret/data/foo`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length === 0) { println(ctx.stderr, 'Not enough arguments (expected 1-2, got 0)'); return 1; }
    if (args.length > 2) { println(ctx.stderr, `Too many arguments (expected 1-2, got ${args.length})`); return 1; }
    const format = formatFrom(ctx, flags, set);
    const [token, path] = args.length === 2 ? [args[0], args[1]] : ['', args[0]];
    const client = clientFrom(ctx, flags);
    let capabilities: unknown;
    try {
      const res = token === '' ? await client.post('sys/capabilities-self', { paths: [path] })
        : await client.post('sys/capabilities', { token, paths: [path] });
      const body = res.body as Secret & Record<string, unknown>;
      capabilities = body.data?.[path] ?? body.data?.capabilities ?? body[path] ?? body.capabilities;
    } catch (err) {
      return apiFailure(ctx, 'Error listing capabilities', err);
    }
    if (!Array.isArray(capabilities)) { println(ctx.stderr, 'No capabilities found'); return 1; }
    if (format === 'table') { println(ctx.stdout, [...capabilities].map(String).sort().join(', ')); return 0; }
    return printData(ctx, capabilities, format);
  },
});
