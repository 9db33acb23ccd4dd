import { setTimeout as sleep } from 'node:timers/promises';
import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';
import type { Secret } from '../format.js';
import { ensureTrailingSlash } from '../kv-paths.js';

export const secretsMoveCommand = defineCommand({
  name: 'secrets move',
  synopsis: 'Move a secrets engine to a new path',
  help: `Usage: arca secrets move [options] SOURCE DESTINATION

  Moves the secrets engine at SOURCE to DESTINATION, with its data. Leases issued at the old
  path are revoked.

      $ arca secrets move secret/ generic/`,
  flags: { ...HTTP_FLAGS },
  async run(ctx, flags, args) {
    if (args.length < 2) { println(ctx.stderr, `Not enough arguments (expected 2, got ${args.length})`); return 1; }
    if (args.length > 2) { println(ctx.stderr, `Too many arguments (expected 2, got ${args.length})`); return 1; }
    const source = ensureTrailingSlash(args[0]);
    const destination = ensureTrailingSlash(args[1]);
    const client = clientFrom(ctx, flags);
    let id: string;
    try {
      const body = (await client.post('sys/remount', { from: source, to: destination })).body as Secret & { migration_id?: string };
      id = String(body.data?.migration_id ?? body.migration_id ?? '');
    } catch (err) {
      return apiFailure(ctx, `Error moving secrets engine ${source} to ${destination}`, err);
    }
    println(ctx.stdout, `Started moving secrets engine ${source} to ${destination}, with migration ID ${id}`);
    for (;;) {
      let status: string;
      try {
        const body = (await client.get(`sys/remount/status/${id}`)).body as Secret;
        status = String((body.data?.migration_info as { status?: string } | undefined)?.status ?? '');
      } catch (err) {
        return apiFailure(ctx, `Error checking migration status of secrets engine ${source} to ${destination}`, err);
      }
      if (status === 'success') {
        println(ctx.stdout, `Success! Finished moving secrets engine ${source} to ${destination}, with migration ID ${id}`);
        return 0;
      }
      if (status === 'failure') {
        println(ctx.stderr, `Failure! Error encountered moving secrets engine ${source} to ${destination}, with migration ID ${id}`);
        return 0;
      }
      println(ctx.stdout, `Waiting for terminal status in migration of secrets engine ${source} to ${destination}, with migration ID ${id}`);
      await sleep(1000);
    }
  },
});
