/**
 * `arca login -method=…` handlers, one per auth method, as Vault's CLI handlers: each turns
 * `key=value` arguments into a login request against `auth/<path>/…` and returns the response
 * envelope (with its `auth` block). Secrets missing from the arguments are prompted for
 * without echo (or read from stdin when it is not a terminal).
 */
import type { Secret } from '../format.js';
import { readSecret } from '../prompt.js';
import { loginWithCert } from './login-cert.js';
import { signedCallerIdentityLogin } from '../aws-sigv4.js';
import { loginWithOidc } from './login-oidc.js';
import { LoginUsageError, type LoginHandler, type LoginMethodInput } from './login-types.js';

export { LoginUsageError, type LoginHandler, type LoginMethodInput } from './login-types.js';

async function secretParam(input: LoginMethodInput, name: string, prompt: string): Promise<string> {
  const given = input.params[name];
  if (given !== undefined && given !== '-') return given;
  return readSecret(input.ctx.stdin, input.ctx.stderr, prompt);
}

function required(params: Record<string, string>, name: string, hint: string): string {
  const value = params[name];
  if (!value) throw new LoginUsageError(`'${name}' must be specified (${hint})`);
  return value;
}

async function passwordLogin(input: LoginMethodInput): Promise<Secret> {
  const username = required(input.params, 'username', `e.g. username=alice`);
  const password = await secretParam(input, 'password', 'Password (will be hidden): ');
  const res = await input.client.post(`auth/${input.mount}/login/${encodeURIComponent(username)}`, { password });
  return res.body as Secret;
}

export const LOGIN_METHODS: Record<string, LoginHandler> = {
  userpass: passwordLogin,
  ldap: passwordLogin,
  async approle(input) {
    const roleId = required(input.params, 'role_id', 'e.g. role_id=…');
    const secretId = input.params.secret_id ?? await secretParam(input, 'secret_id', 'Secret ID (will be hidden): ');
    const res = await input.client.post(`auth/${input.mount}/login`, { role_id: roleId, ...(secretId !== '' ? { secret_id: secretId } : {}) });
    return res.body as Secret;
  },
  cert: loginWithCert,
  oidc: loginWithOidc,
  async github(input) {
    // Vault's CLI also reads the token from VAULT_AUTH_GITHUB_TOKEN.
    const token = input.params.token ?? input.ctx.env.VAULT_AUTH_GITHUB_TOKEN ?? await secretParam(input, 'token', 'GitHub Personal Access Token (will be hidden): ');
    const res = await input.client.post(`auth/${input.mount}/login`, { token });
    return res.body as Secret;
  },
  async aws(input) {
    // Credentials as the AWS CLI takes them: arguments, else the standard environment variables.
    const env = input.ctx.env;
    const credentials = {
      accessKeyId: input.params.aws_access_key_id ?? env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: input.params.aws_secret_access_key ?? env.AWS_SECRET_ACCESS_KEY ?? '',
      sessionToken: input.params.aws_security_token ?? env.AWS_SESSION_TOKEN,
    };
    if (!credentials.accessKeyId || !credentials.secretAccessKey) {
      throw new LoginUsageError('AWS credentials are required: aws_access_key_id=… aws_secret_access_key=… or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
    }
    const region = input.params.region ?? env.AWS_REGION ?? 'us-east-1';
    const endpoint = input.params.sts_endpoint ?? (region === 'us-east-1' ? 'https://sts.amazonaws.com/' : `https://sts.${region}.amazonaws.com/`);
    const login = signedCallerIdentityLogin({ endpoint, region, credentials, serverId: input.params.header_value });
    const res = await input.client.post(`auth/${input.mount}/login`, { ...login, ...(input.params.role ? { role: input.params.role } : {}) });
    return res.body as Secret;
  },
  async kubernetes(input) {
    const role = required(input.params, 'role', 'e.g. role=app');
    const jwt = await secretParam(input, 'jwt', 'Service account JWT (will be hidden): ');
    const res = await input.client.post(`auth/${input.mount}/login`, { role, jwt });
    return res.body as Secret;
  },
  async jwt(input) {
    const jwt = await secretParam(input, 'jwt', 'JWT (will be hidden): ');
    const res = await input.client.post(`auth/${input.mount}/login`, { role: input.params.role ?? '', jwt });
    return res.body as Secret;
  },
};

/** `key=value` arguments (Vault's login args); a bare `-` value means "prompt". */
export function parseLoginArgs(args: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new LoginUsageError(`invalid argument "${arg.slice(0, 40)}": expected key=value`);
    params[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return params;
}
