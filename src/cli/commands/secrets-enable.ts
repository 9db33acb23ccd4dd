import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';
import { ensureTrailingSlash } from '../kv-paths.js';
import { ENABLE_ONLY_FLAGS, MOUNT_FLAGS, mountConfig, mountOptions } from '../mounts.js';

export const secretsEnableCommand = defineCommand({
  name: 'secrets enable',
  synopsis: 'Enable a secrets engine',
  help: `Usage: arca secrets enable [options] TYPE

  Enables a secrets engine of the given TYPE at -path (the type's name by default).

      $ arca secrets enable -path=kv2 -version=2 kv
      $ arca secrets enable transit`,
  flags: { ...HTTP_FLAGS, ...MOUNT_FLAGS, ...ENABLE_ONLY_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    const type = args[0].trim() === 'plugin' ? flags['plugin-name'] : args[0].trim();
    const path = ensureTrailingSlash(flags.path || type);
    const config = mountConfig(flags, set);
    if (flags['force-no-cache']) config.force_no_cache = true;
    const body: Record<string, unknown> = {
      type, description: flags.description, config, local: flags.local, seal_wrap: flags['seal-wrap'],
      external_entropy_access: flags['external-entropy-access'],
    };
    const options = mountOptions(flags);
    if (options) body.options = options;
    try { await clientFrom(ctx, flags).post(`sys/mounts/${path}`, body); } catch (err) {
      return apiFailure(ctx, 'Error enabling', err);
    }
    let thing = `${type} secrets engine`;
    if (flags['plugin-version']) thing += ` version ${flags['plugin-version']}`;
    println(ctx.stdout, `Success! Enabled the ${thing} at: ${path}`);
    return 0;
  },
});
