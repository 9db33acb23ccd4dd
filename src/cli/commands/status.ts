import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, tooManyArgs } from '../command.js';
import { printSealStatus, type SealStatus } from '../seal-status.js';

export const statusCommand = defineCommand({
  name: 'status',
  synopsis: 'Print seal and HA status',
  help: `Usage: arca status [options]

  Prints the current state of the server: whether it is initialized and sealed, and how many
  key shares unseal it. Exit code 0 means unsealed, 2 sealed, 1 an error.

      $ arca status`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length > 0) return tooManyArgs(ctx, '0', args.length);
    const format = formatFrom(ctx, flags, set);
    const client = clientFrom(ctx, flags);
    let status: SealStatus;
    try {
      status = (await client.get('sys/seal-status')).body as SealStatus;
      await printSealStatus(ctx, client, status, format);
    } catch (err) {
      apiFailure(ctx, 'Error checking seal status', err);
      return 1; // 2 means "sealed" for this command
    }
    return status.sealed ? 2 : 0;
  },
});
