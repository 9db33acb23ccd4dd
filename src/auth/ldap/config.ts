/** auth/ldap/config: connection and search settings (Vault's ldaputil ConfigEntry subset). */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';
import { TOKEN_FIELDS, defaultTokenParams, parseTokenParams, tokenParamsData, type TokenParams } from '../common/token-params.js';

export const LDAP_CONFIG_VERSION = 1;

export interface LdapConfig extends TokenParams {
  v: number;
  url: string[];
  binddn: string;
  bindpass: string;
  userdn: string;
  userattr: string;
  upndomain: string;
  userfilter: string;
  groupdn: string;
  groupfilter: string;
  groupattr: string;
  starttls: boolean;
  certificate: string;
  insecure_tls: boolean;
  case_sensitive_names: boolean;
  discoverdn: boolean;
  deny_null_bind: boolean;
  username_as_alias: boolean;
  request_timeout: number;
}

export function defaultLdapConfig(): LdapConfig {
  return {
    v: LDAP_CONFIG_VERSION,
    url: ['ldap://127.0.0.1'],
    binddn: '', bindpass: '', userdn: '', userattr: 'cn', upndomain: '',
    userfilter: '({{.UserAttr}}={{.Username}})',
    groupdn: '',
    groupfilter: '(|(memberUid={{.Username}})(member={{.UserDN}})(uniqueMember={{.UserDN}}))',
    groupattr: 'cn',
    starttls: false, certificate: '', insecure_tls: false, case_sensitive_names: false,
    discoverdn: false, deny_null_bind: true, username_as_alias: false, request_timeout: 90,
    ...defaultTokenParams(),
  };
}

const CONFIG_FIELDS = {
  url: { type: 'commaStringList', description: 'LDAP URLs, tried in order (failover).' },
  binddn: { type: 'string' },
  bindpass: { type: 'string' },
  userdn: { type: 'string' },
  userattr: { type: 'string' },
  upndomain: { type: 'string' },
  userfilter: { type: 'string' },
  groupdn: { type: 'string' },
  groupfilter: { type: 'string' },
  groupattr: { type: 'string' },
  starttls: { type: 'bool' },
  certificate: { type: 'string', description: 'PEM CA certificate(s) to trust.' },
  insecure_tls: { type: 'bool' },
  case_sensitive_names: { type: 'bool' },
  discoverdn: { type: 'bool' },
  deny_null_bind: { type: 'bool' },
  username_as_alias: { type: 'bool' },
  request_timeout: { type: 'duration' },
  ...TOKEN_FIELDS,
} as const;

export const readConfig = (storage: Pick<BarrierStorage, 'get'>) => getJson<LdapConfig>(storage, 'config');

export function configPaths(deps: { storage: BarrierStorage }): PathDef<any>[] {
  const { storage } = deps;
  return [
    path({
      pattern: 'config',
      fields: CONFIG_FIELDS,
      operations: {
        read: async () => {
          const cfg = await readConfig(storage);
          if (!cfg) return undefined;
          const { v: _v, bindpass: _secret, url, ...rest } = cfg;
          return { data: { ...rest, url: url.join(','), request_timeout: cfg.request_timeout, ...tokenParamsData(cfg) } };
        },
        update: async (_req, d) => {
          const current = (await readConfig(storage)) ?? defaultLdapConfig();
          const next: LdapConfig = { ...current, ...parseTokenParams(d, current) };
          if (d.url !== undefined) {
            if (d.url.length === 0 || !d.url.every((u) => /^ldaps?:\/\/[^/]+\/?$/i.test(u))) throw new InvalidRequest('invalid url: expected ldap://host[:port] or ldaps://host[:port]');
            next.url = d.url;
          }
          for (const key of ['binddn', 'bindpass', 'userdn', 'userattr', 'upndomain', 'userfilter', 'groupdn', 'groupfilter', 'groupattr', 'certificate'] as const) {
            if (d[key] !== undefined) next[key] = d[key];
          }
          for (const key of ['starttls', 'insecure_tls', 'case_sensitive_names', 'discoverdn', 'deny_null_bind', 'username_as_alias'] as const) {
            if (d[key] !== undefined) next[key] = d[key];
          }
          if (d.request_timeout !== undefined) next.request_timeout = d.request_timeout;
          if (next.certificate && !next.certificate.includes('-----BEGIN CERTIFICATE-----')) throw new InvalidRequest('failed to parse certificate: expected PEM');
          if (next.userfilter && !next.userfilter.includes('{{.Username}}')) {
            // Vault accepts any filter; without the username placeholder every user would match.
            throw new InvalidRequest('userfilter must contain {{.Username}}');
          }
          await putJson(storage, 'config', next);
          return undefined;
        },
      },
      synopsis: 'Configure the LDAP server to connect to, along with its options.',
    }),
  ];
}
