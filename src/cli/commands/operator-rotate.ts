import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println, tooManyArgs } from '../command.js';
import { json } from '../format.js';
import { keyStatusTable, readKeyStatus } from '../key-status.js';

export const operatorRotateCommand = defineCommand({
  name: 'operator rotate',
  synopsis: 'Rotates the underlying encryption key',
  help: `Usage: arca operator rotate [options]

  Installs a new barrier encryption key term. New writes use the new key; existing entries stay
  readable with the old terms. Requires a sudo token.

      $ arca operator rotate`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length > 0) return tooManyArgs(ctx, '0', args.length);
    const format = formatFrom(ctx, flags, set);
    const client = clientFrom(ctx, flags);
    try {
      await client.put('sys/rotate');
    } catch (err) {
      return apiFailure(ctx, 'Error rotating key', err);
    }
    try {
      const status = await readKeyStatus(client);
      if (format === 'json') {
        println(ctx.stdout, json(status));
      } else {
        println(ctx.stdout, 'Success! Rotated key');
        println(ctx.stdout);
        println(ctx.stdout, keyStatusTable(status));
      }
      return 0;
    } catch (err) {
      return apiFailure(ctx, 'Error reading key status', err);
    }
  },
});
