import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';

export const policyDeleteCommand = defineCommand({
  name: 'policy delete',
  synopsis: 'Deletes a policy by name',
  help: `Usage: arca policy delete [options] NAME

  Deletes the named policy; tokens that carry it lose its rules at once.

      $ arca policy delete my-policy`,
  flags: { ...HTTP_FLAGS },
  async run(ctx, flags, args) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    const name = args[0].trim().toLowerCase();
    try { await clientFrom(ctx, flags).delete(`sys/policies/acl/${encodeURIComponent(name)}`); } catch (err) {
      return apiFailure(ctx, `Error deleting ${name}`, err);
    }
    println(ctx.stdout, `Success! Deleted policy: ${name}`);
    return 0;
  },
});
