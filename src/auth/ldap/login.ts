/** auth/ldap/login/:username: bind, groups → policies, lockout on the canonical name. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { MountEntry } from '../../core/mounts/entry.js';
import { remoteAddressAllowed } from '../../core/tokens/cidr.js';
import { PermissionDenied } from '../../errors.js';
import { authResultFrom } from '../common/token-params.js';
import { canonicalAlias, type LockoutTracker } from '../common/lockout.js';
import { guardedLogin } from '../common/login-guard.js';
import { readConfig } from './config.js';
import { ldapLogin, LdapCredentialsError, type LdapLoginResult } from './client.js';
import { readLdapGroup, readLdapUser } from './users-groups.js';

export function loginPaths(deps: { mount: MountEntry; lockouts?: LockoutTracker }): PathDef<any>[] {
  return [
    path({
      pattern: 'login/:username',
      fields: { username: { type: 'string', required: true }, password: { type: 'string' } } as const,
      operations: {
        update: async (req, d) => {
          const cfg = await readConfig(req.storage);
          if (!cfg) throw new InvalidRequest('ldap backend not configured');
          const password = d.password ?? '';
          if (cfg.deny_null_bind && password === '') throw new InvalidRequest('password cannot be of zero length when passwordless binds are being denied');
          const username = d.username.trim();
          const result = await guardedLogin<LdapLoginResult>(deps.lockouts, deps.mount, req, canonicalAlias(username), async () => {
            try {
              return { ok: true, value: await ldapLogin(cfg, username, password) };
            } catch (err) {
              if (err instanceof LdapCredentialsError) return { ok: false, error: err, count: true };
              throw err;
            }
          });
          const fold = (s: string) => (cfg.case_sensitive_names ? s : s.toLowerCase());
          const user = await readLdapUser(req.storage, fold(username));
          const allGroups = [...(user?.groups ?? []), ...result.groups];
          const policies: string[] = [];
          for (const g of allGroups) policies.push(...((await readLdapGroup(req.storage, fold(g)))?.policies ?? []));
          policies.push(...(user?.policies ?? []), ...cfg.token_policies);
          if (!remoteAddressAllowed(req.remoteAddress, cfg.token_bound_cidrs)) throw new PermissionDenied();
          const warnings = result.groups.length === 0 ? [`no LDAP groups found in groupDN; only policies from locally-defined groups available`] : undefined;
          return {
            auth: authResultFrom({ ...cfg, token_policies: [...new Set(policies)] }, {
              displayName: username,
              metadata: { username },
              aliasName: result.aliasValue,
              groupAliases: result.groups,
              internal: { username },
            }),
            warnings,
          };
        },
      },
      synopsis: 'Log in with a username and password.',
    }),
  ];
}
