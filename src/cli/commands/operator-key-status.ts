import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println, tooManyArgs } from '../command.js';
import { json } from '../format.js';
import { keyStatusTable, readKeyStatus } from '../key-status.js';

export const operatorKeyStatusCommand = defineCommand({
  name: 'operator key-status',
  synopsis: 'Provides information about the active encryption key',
  help: `Usage: arca operator key-status [options]

  Prints the term and install time of the barrier's active encryption key.

      $ arca operator key-status`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length > 0) return tooManyArgs(ctx, '0', args.length);
    const format = formatFrom(ctx, flags, set);
    try {
      const status = await readKeyStatus(clientFrom(ctx, flags));
      println(ctx.stdout, format === 'json' ? json(status) : keyStatusTable(status));
      return 0;
    } catch (err) {
      return apiFailure(ctx, 'Error reading key status', err);
    }
  },
});
