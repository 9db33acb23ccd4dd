import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';
import { ensureTrailingSlash, sanitizePath } from '../kv-paths.js';
import { MOUNT_FLAGS, mountConfig, mountOptions } from '../mounts.js';

export const secretsTuneCommand = defineCommand({
  name: 'secrets tune',
  synopsis: 'Tune a secrets engine configuration',
  help: `Usage: arca secrets tune [options] PATH

  Tunes the configuration of the secrets engine at PATH: lease TTLs, description, options
  (-version=2 upgrades a KV v1 mount in place).

      $ arca secrets tune -default-lease-ttl=72h pki/`,
  flags: { ...HTTP_FLAGS, ...MOUNT_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    const path = ensureTrailingSlash(sanitizePath(args[0]));
    const body = mountConfig(flags, set);
    const options = mountOptions(flags);
    if (options) body.options = options;
    if (set.has('description')) body.description = flags.description;
    try { await clientFrom(ctx, flags).post(`sys/mounts/${path}tune`, body); } catch (err) {
      return apiFailure(ctx, `Error tuning secrets engine ${path}`, err);
    }
    println(ctx.stdout, `Success! Tuned the secrets engine at: ${path}`);
    return 0;
  },
});
