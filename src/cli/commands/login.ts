import { clientSettings } from '../settings.js';
import type { FlagSpecs, FlagValues } from '../flags.js';
import type { CliContext } from '../command.js';
import { HTTP_FLAGS, OUTPUT_FLAGS, FIELD_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println } from '../command.js';
import type { Secret } from '../format.js';
import { printSecret } from '../output.js';
import { PromptCancelled, readSecret } from '../prompt.js';
import { storeToken } from '../token-helper.js';
import { LOGIN_METHODS, LoginUsageError, parseLoginArgs } from './login-methods.js';

const LOGIN_FLAGS = {
  ...HTTP_FLAGS, ...OUTPUT_FLAGS, ...FIELD_FLAGS,
  'no-store': { kind: 'bool', usage: 'Do not store the token.' },
  method: { kind: 'string', usage: 'Auth method: token, userpass, ldap, approle, oidc, cert or jwt.', default: 'token' },
  path: { kind: 'string', usage: 'Mount path of the auth method (default: the method name).' },
  'client-cert': { kind: 'string', usage: 'PEM client certificate for -method=cert (env ARCA_CLIENT_CERT).' },
  'client-key': { kind: 'string', usage: 'PEM private key for -method=cert (env ARCA_CLIENT_KEY).' },
} as const satisfies FlagSpecs;

export const loginCommand = defineCommand({
  name: 'login',
  synopsis: 'Authenticate locally',
  help: `Usage: arca login [options] [TOKEN | [K=V...]]

  Authenticates and stores the resulting token in ~/.arca-token for later commands.

  With the token method (the default) it checks TOKEN with auth/token/lookup-self; without
  TOKEN it is prompted for ("-" reads stdin).

      $ arca login hvs.XXXX

  Other methods take K=V arguments; secrets left out are prompted for without echo:

      $ arca login -method=userpass username=alice
      $ arca login -method=ldap username=alice
      $ arca login -method=approle role_id=… secret_id=-
      $ arca login -method=oidc role=web [port=8250] [skip_browser=true]
      $ arca login -method=cert -client-cert=me.pem -client-key=me.key [name=web]
      $ arca login -method=jwt role=ci jwt=-

  The method is looked for at auth/<method>/ unless -path says otherwise.`,
  flags: LOGIN_FLAGS,
  async run(ctx, flags, args, set) {
    if (flags.method !== 'token') return loginWithMethod(ctx, flags, args, set);
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

/** Logs in through a method's handler, then stores and prints the token like the token method. */
async function loginWithMethod(
  ctx: CliContext,
  flags: FlagValues<typeof LOGIN_FLAGS>,
  args: string[],
  set: Set<string>,
): Promise<number> {
  const handler = LOGIN_METHODS[flags.method];
  if (!handler) { println(ctx.stderr, `Unknown auth method: ${flags.method}. Use "arca auth list" to see the enabled methods.`); return 1; }
  const format = formatFrom(ctx, flags, set);
  const client = clientFrom(ctx, flags);
  client.setToken(undefined);
  const settings = clientSettings(flags, ctx.env, ctx.homeDir);
  const mount = (flags.path || flags.method).replace(/^\/+|\/+$/g, '').replace(/^auth\//, '');
  let secret: Secret;
  try {
    secret = await handler({ ctx, client, settings, mount, params: parseLoginArgs(args), flags });
  } catch (err) {
    if (err instanceof LoginUsageError) { println(ctx.stderr, err.message); return 1; }
    if (err instanceof PromptCancelled) { println(ctx.stderr, 'user canceled'); return 1; }
    return apiFailure(ctx, 'Error authenticating', err);
  }
  const token = secret?.auth?.client_token;
  if (!token) { println(ctx.stderr, 'Error authenticating: no token was returned'); return 2; }
  if (!flags['no-store']) storeToken(ctx.homeDir, token);
  if (format === 'table' && !flags.field) {
    println(ctx.stdout, 'Success! You are now authenticated. The token information displayed below\nis already stored in the token helper. You do NOT need to run "arca login"\nagain. Future requests will automatically use this token.\n');
  }
  return printSecret(ctx, secret, format, flags.field);
}
