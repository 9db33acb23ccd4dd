import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';
import { ensureTrailingSlash, sanitizePath } from '../kv-paths.js';

export const authDisableCommand = defineCommand({
  name: 'auth disable',
  synopsis: 'Disable an auth method',
  help: `Usage: arca auth disable [options] PATH

  Disables the auth method at PATH; every token it issued is revoked.

      $ arca auth disable userpass/`,
  flags: { ...HTTP_FLAGS },
  async run(ctx, flags, args) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    const path = ensureTrailingSlash(sanitizePath(args[0]));
    try { await clientFrom(ctx, flags).delete(`sys/auth/${path}`); } catch (err) {
      return apiFailure(ctx, `Error disabling auth method at ${path}`, err);
    }
    println(ctx.stdout, `Success! Disabled the auth method (if it existed) at: ${path}`);
    return 0;
  },
});
