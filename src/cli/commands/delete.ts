import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';

export const deleteCommand = defineCommand({
  name: 'delete',
  synopsis: 'Delete secrets and configuration',
  help: `Usage: arca delete [options] PATH

  Deletes the data at PATH.

      $ arca delete secret/foo`,
  flags: { ...HTTP_FLAGS },
  async run(ctx, flags, args) {
    if (args.length !== 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    const path = args[0].replace(/^\/+/, '');
    try {
      await clientFrom(ctx, flags).delete(path);
    } catch (err) {
      return apiFailure(ctx, `Error deleting ${path}`, err);
    }
    println(ctx.stdout, `Success! Data deleted (if it existed) at: ${path}`);
    return 0;
  },
});
