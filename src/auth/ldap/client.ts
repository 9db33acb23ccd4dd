/**
 * The LDAP conversation of a login (Vault's ldaputil): connect with failover over the URLs
 * (ldaps://, or ldap:// with optional StartTLS), find the user's DN (service bind + search,
 * UPN, or userattr=name,userdn), bind as the user, search the groups.
 */
import { Client, ResultCodeError } from 'ldapts';
import type { ConnectionOptions } from 'node:tls';
import { InvalidRequest } from '../../errors.js';
import type { LdapConfig } from './config.js';
import { cnOf, escapeDnValue, escapeFilterValue, renderTemplate } from './escape.js';

export const USER_BIND_FAILED = 'ldap operation failed: failed to bind as user';

export class LdapCredentialsError extends InvalidRequest {}

export interface LdapLoginResult {
  userDN: string;
  groups: string[];
  aliasValue: string;
}

function tlsOptions(cfg: LdapConfig, host: string): ConnectionOptions {
  return {
    servername: /^[\d.]+$|:/.test(host) ? undefined : host,
    rejectUnauthorized: !cfg.insecure_tls,
    ca: cfg.certificate ? [cfg.certificate] : undefined,
    minVersion: 'TLSv1.2',
  };
}

async function connect(cfg: LdapConfig): Promise<Client> {
  let lastError: unknown;
  for (const url of cfg.url) {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const client = new Client({
      url,
      timeout: cfg.request_timeout * 1000,
      connectTimeout: Math.min(cfg.request_timeout, 10) * 1000,
      tlsOptions: url.toLowerCase().startsWith('ldaps:') ? tlsOptions(cfg, host) : undefined,
      strictDN: false,
    });
    try {
      if (cfg.starttls && url.toLowerCase().startsWith('ldap:')) await client.startTLS(tlsOptions(cfg, host));
      else await client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] }).catch((err: unknown) => {
        if (err instanceof ResultCodeError) return; // reachable: an LDAP answer, even a refusal
        throw err;
      });
      return client;
    } catch (err) {
      lastError = err;
      await client.unbind().catch(() => {});
    }
  }
  throw new InvalidRequest(`ldap operation failed: failed to connect to LDAP server${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
}

function values(entry: Record<string, unknown>, attribute: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const raw = key ? entry[key] : undefined;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)));
}

async function searchUser(client: Client, cfg: LdapConfig, username: string, attributes: string[]) {
  const filter = cfg.upndomain
    ? renderTemplate(cfg.userfilter, { UserAttr: 'userPrincipalName', Username: `${escapeFilterValue(username)}@${cfg.upndomain}` })
    : renderTemplate(cfg.userfilter, { UserAttr: escapeFilterValue(cfg.userattr), Username: escapeFilterValue(username) });
  const { searchEntries } = await client.search(cfg.userdn, { scope: 'sub', filter, attributes, sizeLimit: 2 });
  return searchEntries;
}

export async function ldapLogin(cfg: LdapConfig, username: string, password: string): Promise<LdapLoginResult> {
  const client = await connect(cfg);
  try {
    const serviceBind = cfg.binddn !== '' && cfg.bindpass !== '';
    const discover = cfg.discoverdn || serviceBind;
    let bindDN: string;
    if (discover) {
      if (serviceBind) await client.bind(cfg.binddn, cfg.bindpass);
      const found = await searchUser(client, cfg, username, [cfg.userattr]).catch(() => []);
      if (found.length !== 1) throw new LdapCredentialsError(USER_BIND_FAILED);
      bindDN = found[0].dn;
    } else if (cfg.upndomain) {
      bindDN = `${escapeDnValue(username)}@${cfg.upndomain}`;
    } else {
      bindDN = `${cfg.userattr}=${escapeDnValue(username)},${cfg.userdn}`;
    }
    try {
      await client.bind(bindDN, password);
    } catch (err) {
      if (err instanceof ResultCodeError) throw new LdapCredentialsError(USER_BIND_FAILED);
      throw err;
    }
    if (serviceBind) {
      try { await client.bind(cfg.binddn, cfg.bindpass); } catch { throw new LdapCredentialsError('ldap operation failed: failed to re-bind with the BindDN user'); }
    }
    let userDN = bindDN;
    if (cfg.upndomain) {
      const { searchEntries } = await client.search(cfg.userdn, { scope: 'sub', filter: `(userPrincipalName=${escapeFilterValue(username)}@${cfg.upndomain})` });
      if (searchEntries.length > 0) userDN = searchEntries[searchEntries.length - 1].dn;
    }
    const groups = new Set<string>();
    if (cfg.groupdn && cfg.groupfilter) {
      const filter = renderTemplate(cfg.groupfilter, { UserDN: escapeFilterValue(userDN), Username: escapeFilterValue(username) });
      const { searchEntries } = await client.search(cfg.groupdn, { scope: 'sub', filter, attributes: [cfg.groupattr] });
      for (const entry of searchEntries) for (const v of values(entry, cfg.groupattr)) groups.add(cnOf(v));
    }
    let aliasValue: string;
    if (cfg.username_as_alias) aliasValue = username;
    else if (discover) {
      const found = await searchUser(client, cfg, username, [cfg.userattr]);
      const attr = found.length === 1 ? values(found[0], cfg.userattr) : [];
      if (attr.length !== 1) throw new InvalidRequest('missing entity alias attribute value');
      aliasValue = attr[0];
    } else aliasValue = bindDN;
    return { userDN, groups: [...groups], aliasValue };
  } finally {
    await client.unbind().catch(() => {});
  }
}
