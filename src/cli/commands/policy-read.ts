import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { printData } from '../output.js';

export const policyReadCommand = defineCommand({
  name: 'policy read',
  synopsis: 'Prints the contents of a policy',
  help: `Usage: arca policy read [options] NAME

  Prints the contents and metadata of the named policy.

      $ arca policy read my-policy`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    const format = formatFrom(ctx, flags, set);
    const name = args[0].trim().toLowerCase();
    let rules = '';
    try {
      const res = await clientFrom(ctx, flags).get(`sys/policies/acl/${encodeURIComponent(name)}`, { accept: [404] });
      if (res.status !== 404) rules = String((res.body as Secret | undefined)?.data?.policy ?? '');
    } catch (err) {
      return apiFailure(ctx, `Error reading policy named ${name}`, err);
    }
    if (rules === '') { println(ctx.stderr, `No policy named: ${name}`); return 2; }
    if (format === 'table') { println(ctx.stdout, rules.trim()); return 0; }
    return printData(ctx, { policy: rules }, format);
  },
});
