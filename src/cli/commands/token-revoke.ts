import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';

export const tokenRevokeCommand = defineCommand({
  name: 'token revoke',
  synopsis: 'Revoke a token and its children',
  help: `Usage: arca token revoke [options] [TOKEN | ACCESSOR]

  Revokes a token and all its children. -mode=orphan revokes only the token (its children
  become orphans); -mode=path revokes every token created under the given path prefix.

      $ arca token revoke 96ddf4bc-d217-f3ba-f9bd-017055595017
      $ arca token revoke -self`,
  flags: {
    ...HTTP_FLAGS,
    accessor: { kind: 'bool', usage: 'Treat the argument as an accessor instead of a token.' },
    self: { kind: 'bool', usage: 'Revoke the currently authenticated token.' },
    mode: { kind: 'string', usage: 'Type of revocation: "" (token and children), "orphan" or "path".' },
  },
  async run(ctx, flags, args) {
    const token = (args[0] ?? '').trim();
    if (!['', 'orphan', 'path'].includes(flags.mode)) { println(ctx.stderr, `Invalid mode: ${flags.mode}`); return 1; }
    const usage = flags.self && args.length > 0 ? `Too many arguments with -self (expected 0, got ${args.length})`
      : !flags.self && args.length > 1 ? `Too many arguments (expected 1 or -self, got ${args.length})`
      : !flags.self && args.length < 1 ? `Not enough arguments (expected 1 or -self, got ${args.length})`
      : flags.self && flags.accessor ? 'Cannot use -self with -accessor!'
      : flags.self && flags.mode !== '' ? 'Cannot use -self with -mode!'
      : flags.accessor && flags.mode === 'orphan' ? 'Cannot use -accessor with -mode=orphan!'
      : flags.accessor && flags.mode === 'path' ? 'Cannot use -accessor with -mode=path!'
      : '';
    if (usage) { println(ctx.stderr, usage); return 1; }
    const client = clientFrom(ctx, flags);
    try {
      if (flags.self) await client.put('auth/token/revoke-self');
      else if (flags.accessor) await client.put('auth/token/revoke-accessor', { accessor: token });
      else if (flags.mode === 'orphan') await client.put('auth/token/revoke-orphan', { token });
      else if (flags.mode === 'path') await client.put(`sys/leases/revoke-prefix/${token.replace(/^\/+/, '')}`);
      else await client.put('auth/token/revoke', { token });
    } catch (err) {
      return apiFailure(ctx, 'Error revoking token', err);
    }
    println(ctx.stdout, 'Success! Revoked token (if it existed)');
    return 0;
  },
});
