import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';
import { ensureTrailingSlash } from '../kv-paths.js';
import { ENABLE_ONLY_FLAGS, MOUNT_FLAGS, mountConfig, mountOptions } from '../mounts.js';

export const authEnableCommand = defineCommand({
  name: 'auth enable',
  synopsis: 'Enable a new auth method',
  help: `Usage: arca auth enable [options] TYPE

  Enables an auth method of the given TYPE at auth/<-path> (the type's name by default).

      $ arca auth enable userpass
      $ arca auth enable -path=my-login approle`,
  flags: { ...HTTP_FLAGS, ...MOUNT_FLAGS, ...ENABLE_ONLY_FLAGS, 'token-type': { kind: 'string', usage: 'The type of token the method issues (service, batch, default-service, default-batch).' } },
  async run(ctx, flags, args, set) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    const type = args[0].trim() === 'plugin' ? flags['plugin-name'] : args[0].trim();
    const path = ensureTrailingSlash(flags.path || type);
    const config = mountConfig(flags, set);
    if (set.has('token-type')) config.token_type = flags['token-type'];
    const body: Record<string, unknown> = {
      type, description: flags.description, config, local: flags.local, seal_wrap: flags['seal-wrap'],
      external_entropy_access: flags['external-entropy-access'],
    };
    const options = mountOptions(flags);
    if (options) body.options = options;
    try { await clientFrom(ctx, flags).post(`sys/auth/${path}`, body); } catch (err) {
      return apiFailure(ctx, `Error enabling ${type} auth`, err);
    }
    let thing = `${type} auth method`;
    if (flags['plugin-version']) thing += ` version ${flags['plugin-version']}`;
    println(ctx.stdout, `Success! Enabled ${thing} at: ${path}`);
    return 0;
  },
});
