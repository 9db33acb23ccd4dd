import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println, tooManyArgs } from '../command.js';
import { detailedMountsTable, mountsOf, simpleMountsTable, type MountOutput } from '../mounts.js';
import { printData } from '../output.js';

export const authListCommand = defineCommand({
  name: 'auth list',
  synopsis: 'List enabled auth methods',
  help: `Usage: arca auth list [options]

  Lists the enabled auth methods; -detailed adds TTLs, token types, options and more.

      $ arca auth list -detailed`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, detailed: { kind: 'bool', usage: 'Print detailed information such as TTLs and options.' } },
  async run(ctx, flags, args, set) {
    if (args.length > 0) return tooManyArgs(ctx, '0', args.length);
    const format = formatFrom(ctx, flags, set);
    let mounts: Record<string, MountOutput>;
    try { mounts = mountsOf((await clientFrom(ctx, flags).get('sys/auth')).body); } catch (err) {
      return apiFailure(ctx, 'Error listing enabled authentications', err);
    }
    if (format !== 'table') return printData(ctx, mounts, format);
    println(ctx.stdout, flags.detailed ? detailedMountsTable(mounts, true) : simpleMountsTable(mounts, true));
    return 0;
  },
});
