import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';
import { ensureTrailingSlash, sanitizePath } from '../kv-paths.js';

export const secretsDisableCommand = defineCommand({
  name: 'secrets disable',
  synopsis: 'Disable a secrets engine',
  help: `Usage: arca secrets disable [options] PATH

  Disables the secrets engine at PATH. Its data is deleted and its leases are revoked.

      $ arca secrets disable aws/`,
  flags: { ...HTTP_FLAGS },
  async run(ctx, flags, args) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    const path = ensureTrailingSlash(sanitizePath(args[0]));
    try { await clientFrom(ctx, flags).delete(`sys/mounts/${path}`); } catch (err) {
      return apiFailure(ctx, `Error disabling secrets engine at ${path}`, err);
    }
    println(ctx.stdout, `Success! Disabled the secrets engine (if it existed) at: ${path}`);
    return 0;
  },
});
