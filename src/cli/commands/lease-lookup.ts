import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { printSecret } from '../output.js';

export const leaseLookupCommand = defineCommand({
  name: 'lease lookup',
  synopsis: 'Lookup the lease of a secret',
  help: `Usage: arca lease lookup [options] ID

  Shows a lease's issue time, expiry and TTL.

      $ arca lease lookup database/creds/readonly/27e1b9a1...`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length === 0) { println(ctx.stderr, 'Missing ID!'); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    const format = formatFrom(ctx, flags, set);
    const leaseId = args[0].trim();
    let secret: Secret;
    try { secret = (await clientFrom(ctx, flags).put('sys/leases/lookup', { lease_id: leaseId })).body as Secret; } catch (err) {
      return apiFailure(ctx, `error looking up lease id ${leaseId}`, err);
    }
    return printSecret(ctx, secret, format);
  },
});
