import { FIELD_FLAGS, HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { printList, printSecret } from '../output.js';

export const unwrapCommand = defineCommand({
  name: 'unwrap',
  synopsis: 'Unwrap a wrapped secret',
  help: `Usage: arca unwrap [options] [TOKEN]

  Unwraps a wrapped secret given its wrapping token. Without TOKEN, the authenticated token is
  the wrapping token. A wrapping token works once.

      $ arca unwrap 3de9ece1-b347-e143-29b0-dc2dc31caafd`,
  flags: { ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS },
  async run(ctx, flags, args, set) {
    if (args.length > 1) { println(ctx.stderr, `Too many arguments (expected 0-1, got ${args.length})`); return 1; }
    const format = formatFrom(ctx, flags, set);
    const token = (args[0] ?? '').trim();
    const client = clientFrom(ctx, flags);
    // As Vault's client: with no token of its own the wrapping token authenticates the call.
    let body: Record<string, unknown> | undefined;
    if (token !== '') {
      if (!client.token()) client.setToken(token);
      else if (token !== client.token()) body = { token };
    }
    let secret: Secret | undefined;
    try {
      const res = await client.put('sys/wrapping/unwrap', body, { accept: [404] });
      secret = res.body as Secret | undefined;
      if (res.status === 404 && !(secret && ((secret.warnings?.length ?? 0) > 0 || Object.keys(secret.data ?? {}).length > 0))) secret = undefined;
    } catch (err) {
      return apiFailure(ctx, 'Error unwrapping', err);
    }
    if (!secret) {
      if (format === 'table') println(ctx.stdout, 'Successfully unwrapped. There was no data in the wrapped secret.');
      return 0;
    }
    if (flags.field) return printSecret(ctx, secret, format, flags.field);
    const keys = secret.data?.keys;
    if (Array.isArray(keys) && Object.keys(secret.data ?? {}).length === 1) {
      if (format === 'json') return printSecret(ctx, secret, format);
      return printList(ctx, keys.map(String), format);
    }
    return printSecret(ctx, secret, format);
  },
});
