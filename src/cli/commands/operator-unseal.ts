import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println, tooManyArgs } from '../command.js';
import { PromptCancelled, readSecret } from '../prompt.js';
import { printSealStatus, type SealStatus } from '../seal-status.js';

export const operatorUnsealCommand = defineCommand({
  name: 'operator unseal',
  synopsis: 'Unseals the server',
  help: `Usage: arca operator unseal [options] [KEY]

  Provides one unseal (or, with -migrate, recovery) key share. Without KEY it is read from the
  terminal without echo, or from stdin when stdin is not a terminal. Run once per share until
  the threshold is reached.

      $ arca operator unseal
      $ arca operator unseal -reset`,
  flags: {
    ...HTTP_FLAGS,
    ...OUTPUT_FLAGS,
    reset: { kind: 'bool', usage: 'Discard the key shares provided so far.' },
    migrate: { kind: 'bool', usage: 'Mark this share as part of a seal migration.' },
  },
  async run(ctx, flags, args, set) {
    if (args.length > 1) return tooManyArgs(ctx, '1', args.length);
    const format = formatFrom(ctx, flags, set);
    const client = clientFrom(ctx, flags);
    let body: Record<string, unknown>;
    if (flags.reset) {
      body = { reset: true };
    } else {
      let key = args[0] ?? '';
      if (key === '') {
        try {
          key = await readSecret(ctx.stdin, ctx.stdout, 'Unseal Key (will be hidden): ');
        } catch (err) {
          if (err instanceof PromptCancelled) { println(ctx.stderr, 'user canceled'); return 1; }
          throw err;
        }
      }
      if (key === '') { println(ctx.stderr, 'Missing unseal key: provide it as an argument or on stdin'); return 1; }
      body = { key: key.trim(), migrate: flags.migrate };
    }
    try {
      const status = (await client.put('sys/unseal', body)).body as SealStatus;
      await printSealStatus(ctx, client, status, format);
      return 0;
    } catch (err) {
      return apiFailure(ctx, flags.reset ? 'Error resetting unseal process' : 'Error unsealing', err);
    }
  },
});
