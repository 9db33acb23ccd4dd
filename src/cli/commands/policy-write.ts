import { readFile } from 'node:fs/promises';
import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println } from '../command.js';
import { readAll } from '../prompt.js';

export const policyWriteCommand = defineCommand({
  name: 'policy write',
  synopsis: 'Uploads a named policy from a file',
  help: `Usage: arca policy write [options] NAME PATH

  Uploads a policy with the given name from the contents of a local file PATH, or from stdin
  when PATH is "-". The name is lower-cased and trimmed, as the server stores it.

      $ arca policy write my-policy /tmp/policy.hcl
      $ cat my-policy.hcl | arca policy write my-policy -`,
  flags: { ...HTTP_FLAGS },
  async run(ctx, flags, args) {
    if (args.length < 2) { println(ctx.stderr, `Not enough arguments (expected 2, got ${args.length})`); return 1; }
    if (args.length > 2) { println(ctx.stderr, `Too many arguments (expected 2, got ${args.length})`); return 1; }
    const name = args[0];
    const formatted = name.toLowerCase().trim();
    const path = args[1].trim();
    let rules: string;
    if (path === '-') rules = await readAll(ctx.stdin);
    else {
      try { rules = await readFile(path, 'utf8'); } catch (err) {
        println(ctx.stderr, `Error opening policy file: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
        return 2;
      }
    }
    try { await clientFrom(ctx, flags).put(`sys/policies/acl/${encodeURIComponent(formatted)}`, { policy: rules }); } catch (err) {
      return apiFailure(ctx, 'Error uploading policy', err);
    }
    if (name !== formatted) println(ctx.stderr, `Policy name was converted from "${name}" to "${formatted}"`);
    println(ctx.stdout, `Success! Uploaded policy: ${formatted}`);
    return 0;
  },
});
