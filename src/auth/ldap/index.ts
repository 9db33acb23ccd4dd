/** The LDAP / Active Directory auth method (Vault's builtin/credential/ldap). */
import type { Backend } from '../../framework/backend.js';
import type { BackendContext } from '../../core/mounts/registry.js';
import type { LockoutTracker } from '../common/lockout.js';
import { configPaths, readConfig } from './config.js';
import { usersGroupsPaths } from './users-groups.js';
import { loginPaths } from './login.js';

export function createLdapBackend(deps: BackendContext & { lockouts?: LockoutTracker }): Backend {
  return {
    paths: [
      ...configPaths({ storage: deps.storage }),
      ...usersGroupsPaths({ storage: deps.storage, caseSensitive: async () => (await readConfig(deps.storage))?.case_sensitive_names ?? false }),
      ...loginPaths({ mount: deps.mount, lockouts: deps.lockouts }),
    ],
    unauthenticatedPaths: ['login/*'],
  };
}
