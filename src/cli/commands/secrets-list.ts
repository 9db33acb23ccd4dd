import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println, tooManyArgs } from '../command.js';
import { detailedMountsTable, mountsOf, simpleMountsTable, type MountOutput } from '../mounts.js';
import { printData } from '../output.js';

export const secretsListCommand = defineCommand({
  name: 'secrets list',
  synopsis: 'List enabled secrets engines',
  help: `Usage: arca secrets list [options]

  Lists the enabled secrets engines; -detailed adds TTLs, options and more.

      $ arca secrets list -detailed`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, detailed: { kind: 'bool', usage: 'Print detailed information such as TTLs and options.' } },
  async run(ctx, flags, args, set) {
    if (args.length > 0) return tooManyArgs(ctx, '0', args.length);
    const format = formatFrom(ctx, flags, set);
    let mounts: Record<string, MountOutput>;
    try { mounts = mountsOf((await clientFrom(ctx, flags).get('sys/mounts')).body); } catch (err) {
      return apiFailure(ctx, 'Error listing secrets engines', err);
    }
    if (format !== 'table') return printData(ctx, mounts, format);
    println(ctx.stdout, flags.detailed ? detailedMountsTable(mounts, false) : simpleMountsTable(mounts, false));
    return 0;
  },
});
