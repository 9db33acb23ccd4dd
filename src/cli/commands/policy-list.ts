import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println, tooManyArgs } from '../command.js';
import type { Secret } from '../format.js';
import { printData } from '../output.js';

export const policyListCommand = defineCommand({
  name: 'policy list',
  synopsis: 'Lists the installed policies',
  help: `Usage: arca policy list [options]

  Lists the names of the installed ACL policies.

      $ arca policy list`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length > 0) return tooManyArgs(ctx, '0', args.length);
    const format = formatFrom(ctx, flags, set);
    let policies: string[];
    try {
      const body = (await clientFrom(ctx, flags).list('sys/policies/acl')).body as Secret;
      policies = ((body.data?.keys ?? []) as unknown[]).map(String);
    } catch (err) {
      return apiFailure(ctx, 'Error listing policies', err);
    }
    if (format === 'table') { for (const p of policies) println(ctx.stdout, p); return 0; }
    return printData(ctx, policies, format);
  },
});
