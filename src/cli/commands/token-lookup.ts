import { FIELD_FLAGS, HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { printSecret } from '../output.js';

export const tokenLookupCommand = defineCommand({
  name: 'token lookup',
  synopsis: 'Display information about a token',
  help: `Usage: arca token lookup [options] [TOKEN | ACCESSOR]

  Displays information about a token or accessor. Without an argument, the authenticated token
  is looked up (auth/token/lookup-self).

      $ arca token lookup
      $ arca token lookup -accessor 9793c9b3-e04a-46f3-e7b8-748d7da248da`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS, accessor: { kind: 'bool', usage: 'Treat the argument as an accessor instead of a token.' } },
  async run(ctx, flags, args, set) {
    if (flags.accessor && args.length < 1) { println(ctx.stderr, `Not enough arguments with -accessor (expected 1, got ${args.length})`); return 1; }
    if (flags.accessor && args.length > 1) { println(ctx.stderr, `Too many arguments with -accessor (expected 1, got ${args.length})`); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 0-1, got ${args.length})`); return 1; }
    const format = formatFrom(ctx, flags, set);
    const token = (args[0] ?? '').trim();
    const client = clientFrom(ctx, flags);
    let secret: Secret;
    try {
      const res = token === '' ? await client.get('auth/token/lookup-self')
        : flags.accessor ? await client.post('auth/token/lookup-accessor', { accessor: token })
        : await client.post('auth/token/lookup', { token });
      secret = res.body as Secret;
    } catch (err) {
      return apiFailure(ctx, 'Error looking up token', err);
    }
    return printSecret(ctx, secret, format, flags.field);
  },
});
