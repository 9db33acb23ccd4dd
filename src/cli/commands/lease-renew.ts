import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { printSecret } from '../output.js';

export const leaseRenewCommand = defineCommand({
  name: 'lease renew',
  synopsis: 'Renews the lease of a secret',
  help: `Usage: arca lease renew [options] ID

  Renews the lease on a secret, extending the time it can be used before the server revokes it.

      $ arca lease renew -increment=1h database/creds/readonly/2f6a614c...`,
  flags: {
    ...HTTP_FLAGS, ...OUTPUT_FLAGS,
    increment: { kind: 'string', usage: 'Requested extension, e.g. "30s" or "5m" (the server may not honour it).' },
    i: { kind: 'string', usage: 'Alias of -increment.' },
  },
  async run(ctx, flags, args, set) {
    if (args.length === 0) { println(ctx.stderr, 'Missing ID!'); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1-2, got ${args.length})`); return 1; }
    const format = formatFrom(ctx, flags, set);
    const leaseId = args[0].trim();
    const increment = flags.increment || flags.i;
    let secret: Secret;
    try {
      secret = (await clientFrom(ctx, flags).put('sys/leases/renew', { lease_id: leaseId, increment: increment || 0 })).body as Secret;
    } catch (err) {
      return apiFailure(ctx, `Error renewing ${leaseId}`, err);
    }
    return printSecret(ctx, secret, format);
  },
});
