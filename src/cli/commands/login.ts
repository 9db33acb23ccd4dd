import { HTTP_FLAGS, OUTPUT_FLAGS, FIELD_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { printSecret } from '../output.js';
import { PromptCancelled, readSecret } from '../prompt.js';
import { storeToken } from '../token-helper.js';

export const loginCommand = defineCommand({
  name: 'login',
  synopsis: 'Authenticate locally',
  help: `Usage: arca login [options] [TOKEN]

  Authenticates with a token (the token auth method), checks it with auth/token/lookup-self and
  stores it in ~/.arca-token for later commands. Without TOKEN it is prompted for ("-" reads stdin).

      $ arca login hvs.XXXX`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS, 'no-store': { kind: 'bool', usage: 'Do not store the token.' } },
  async run(ctx, flags, args, set) {
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 0-1, got ${args.length})`); return 1; }
    const format = formatFrom(ctx, flags, set);
    let token = args[0] ?? '';
    try {
      if (token === '' || token === '-') token = await readSecret(ctx.stdin, ctx.stdout, 'Token (will be hidden): ');
    } catch (err) {
      if (err instanceof PromptCancelled) { println(ctx.stderr, 'user canceled'); return 1; }
      throw err;
    }
    if (!token) { println(ctx.stderr, 'Missing token'); return 1; }
    const client = clientFrom(ctx, flags);
    client.setToken(token);
    let lookup: Secret;
    try {
      lookup = (await client.get('auth/token/lookup-self')).body as Secret;
    } catch (err) {
      return apiFailure(ctx, 'Error authenticating', err);
    }
    const data = lookup.data ?? {};
    const secret: Secret = {
      auth: {
        client_token: token, accessor: String(data.accessor ?? ''), lease_duration: Number(data.ttl ?? 0),
        renewable: Boolean(data.renewable), policies: (data.policies as string[] | undefined) ?? [],
        token_policies: (data.policies as string[] | undefined) ?? [], identity_policies: (data.identity_policies as string[] | undefined) ?? [],
        metadata: (data.meta as Record<string, string> | null | undefined) ?? null,
      },
    };
    if (!flags['no-store']) storeToken(ctx.homeDir, token);
    if (format === 'table' && !flags.field) {
      println(ctx.stdout, 'Success! You are now authenticated. The token information displayed below\nis already stored in the token helper. You do NOT need to run "arca login"\nagain. Future requests will automatically use this token.\n');
    }
    return printSecret(ctx, secret, format, flags.field);
  },
});
