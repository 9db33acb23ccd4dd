import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';

export const leaseRevokeCommand = defineCommand({
  name: 'lease revoke',
  synopsis: 'Revokes leases and secrets',
  help: `Usage: arca lease revoke [options] ID

  Revokes a lease, or with -prefix every lease under a prefix. -force (with -prefix) removes the
  leases even when the backend's revocation fails. -sync waits for the revocation.

      $ arca lease revoke -prefix aws/creds/`,
  flags: {
    ...HTTP_FLAGS,
    force: { kind: 'bool', usage: 'Remove the leases even if the backend revocation fails (needs -prefix).' },
    prefix: { kind: 'bool', usage: 'Treat the ID as a prefix.' },
    sync: { kind: 'bool', usage: 'Revoke synchronously; on failure it is up to the client to retry.' },
  },
  async run(ctx, flags, args) {
    if (args.length < 1) { println(ctx.stderr, `Not enough arguments (expected 1, got ${args.length})`); return 1; }
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 1, got ${args.length})`); return 1; }
    if (flags.force && !flags.prefix) { println(ctx.stderr, 'Specifying -force requires also specifying -prefix'); return 1; }
    const leaseId = args[0].trim();
    if (flags.force) println(ctx.stderr, 'Warning! Force-removing leases can cause Arca to become out of sync with\nsecret engines!');
    const client = clientFrom(ctx, flags);
    try {
      if (flags.force) await client.put(`sys/leases/revoke-force/${leaseId}`);
      else if (flags.prefix) await client.put(`sys/leases/revoke-prefix/${leaseId}`, { sync: flags.sync });
      else await client.put(`sys/leases/revoke/${leaseId}`, { sync: flags.sync });
    } catch (err) {
      const what = flags.force ? `Error force revoking leases with prefix ${leaseId}` : flags.prefix ? `Error revoking leases with prefix ${leaseId}` : `Error revoking lease ${leaseId}`;
      return apiFailure(ctx, what, err);
    }
    if (flags.force) println(ctx.stdout, `Success! Force revoked any leases with prefix: ${leaseId}`);
    else if (flags.sync) println(ctx.stdout, flags.prefix ? `Success! Revoked any leases with prefix: ${leaseId}` : `Success! Revoked lease: ${leaseId}`);
    else println(ctx.stdout, 'All revocation operations queued successfully!');
    return 0;
  },
});
