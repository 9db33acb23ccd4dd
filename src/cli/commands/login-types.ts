/** Shared by the `arca login -method=…` handlers. */
import type { CliContext } from '../command.js';
import type { Client, ClientConfig } from '../client.js';
import type { Secret } from '../format.js';

export interface LoginMethodInput {
  ctx: CliContext;
  client: Client;
  settings: ClientConfig;
  /** Mount path without slashes, e.g. "userpass" or "my-ldap". */
  mount: string;
  params: Record<string, string>;
  flags: { 'client-cert': string; 'client-key': string };
}

export type LoginHandler = (input: LoginMethodInput) => Promise<Secret>;

/** A login handler's own usage error (exit 1, no request made). */
export class LoginUsageError extends Error {}
