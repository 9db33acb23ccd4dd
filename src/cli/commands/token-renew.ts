import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { printSecret } from '../output.js';

export const tokenRenewCommand = defineCommand({
  name: 'token renew',
  synopsis: 'Renew a token lease',
  help: `Usage: arca token renew [options] [TOKEN]

  Renews a token's lease, extending how long it can be used. Without an argument, the
  authenticated token is renewed (auth/token/renew-self).

      $ arca token renew -increment=30m 96ddf4bc-d217-f3ba-f9bd-017055595017`,
  flags: {
    ...HTTP_FLAGS, ...OUTPUT_FLAGS,
    accessor: { kind: 'bool', usage: 'Treat the argument as an accessor instead of a token.' },
    increment: { kind: 'string', usage: 'Requested increment, e.g. "30s" or "5m" (the server may not honour it).' },
    i: { kind: 'string', usage: 'Alias of -increment.' },
  },
  async run(ctx, flags, args, set) {
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    const format = formatFrom(ctx, flags, set);
    const token = (args[0] ?? '').trim();
    const increment = flags.increment || flags.i;
    const client = clientFrom(ctx, flags);
    const inc = increment ? { increment } : {};
    let secret: Secret;
    try {
      const res = token === '' ? await client.put('auth/token/renew-self', inc)
        : flags.accessor ? await client.put('auth/token/renew-accessor', { accessor: token, ...inc })
        : await client.put('auth/token/renew', { token, ...inc });
      secret = res.body as Secret;
    } catch (err) {
      return apiFailure(ctx, 'Error renewing token', err);
    }
    return printSecret(ctx, secret, format);
  },
});
