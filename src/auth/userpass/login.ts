/**
 * userpass login: always one scrypt run (unknown users are checked against a dummy hash), a
 * lockout on the canonical name, then the bound CIDRs; Vault's "invalid username or password".
 */
import { InvalidRequest, PermissionDenied } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { MountEntry } from '../../core/mounts/entry.js';
import { remoteAddressAllowed } from '../../core/tokens/cidr.js';
import { authResultFrom } from '../common/token-params.js';
import type { PasswordVerifier } from '../common/password-hash.js';
import type { LockoutTracker } from '../common/lockout.js';
import { guardedLogin } from '../common/login-guard.js';
import { canonicalUsername, readUser, type UserEntry } from './user-store.js';

export const INVALID_CREDENTIALS = 'invalid username or password';

export function loginPaths(deps: { mount: MountEntry; passwords: PasswordVerifier; lockouts?: LockoutTracker }): PathDef<any>[] {
  return [
    path({
      pattern: 'login/:username',
      fields: { username: { type: 'string', required: true }, password: { type: 'string' } } as const,
      operations: {
        update: async (req, data) => {
          const name = canonicalUsername(data.username);
          if (name === '') throw new InvalidRequest('missing username');
          if (!data.password) throw new InvalidRequest('missing password');
          const password = data.password;
          const user = await guardedLogin<UserEntry>(deps.lockouts, deps.mount, req, name, async () => {
            const found = await readUser(req.storage, name);
            const ok = await deps.passwords.verify(password, found?.password_hash);
            if (ok && found) return { ok: true, value: found };
            // Only existing users are counted, as Vault does (unknown names cost no memory).
            return { ok: false, error: new InvalidRequest(INVALID_CREDENTIALS), count: found !== undefined };
          });
          if (!remoteAddressAllowed(req.remoteAddress, user.token_bound_cidrs)) throw new PermissionDenied();
          return {
            auth: authResultFrom(user, {
              displayName: name,
              metadata: { username: name },
              aliasName: name,
              internal: { username: name },
            }),
          };
        },
      },
      synopsis: 'Log in with a username and password.',
    }),
  ];
}
