import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';
import { ensureTrailingSlash, sanitizePath } from '../kv-paths.js';
import { MOUNT_FLAGS, mountConfig, mountOptions } from '../mounts.js';

export const authTuneCommand = defineCommand({
  name: 'auth tune',
  synopsis: 'Tune an auth method configuration',
  help: `Usage: arca auth tune [options] PATH

  Tunes the configuration of the auth method at PATH: token TTLs, description, token type.

      $ arca auth tune -default-lease-ttl=72h github/`,
  flags: { ...HTTP_FLAGS, ...MOUNT_FLAGS, 'token-type': { kind: 'string', usage: 'The type of token the method issues.' } },
  async run(ctx, flags, args, set) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    const path = ensureTrailingSlash(sanitizePath(args[0]));
    const body = mountConfig(flags, set);
    const options = mountOptions(flags);
    if (options) body.options = options;
    if (set.has('description')) body.description = flags.description;
    if (set.has('token-type')) body.token_type = flags['token-type'];
    try { await clientFrom(ctx, flags).post(`sys/mounts/auth/${path}tune`, body); } catch (err) {
      return apiFailure(ctx, `Error tuning auth method ${path}`, err);
    }
    println(ctx.stdout, `Success! Tuned the auth method at: ${path}`);
    return 0;
  },
});
