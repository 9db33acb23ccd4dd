/** userpass `users/` paths: create/update/read/delete/list, password and policy updates. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { BarrierStorage } from '../../barrier/types.js';
import { TOKEN_FIELDS, parseTokenParams, tokenParamsData } from '../common/token-params.js';
import type { PasswordVerifier } from '../common/password-hash.js';
import { canonicalUsername, deleteUser, listUsers, readUser, writeUser, type UserEntry, USER_ENTRY_VERSION } from './user-store.js';

export function userPaths(deps: { storage: BarrierStorage; passwords: PasswordVerifier }): PathDef<any>[] {
  const { storage, passwords } = deps;
  return [
    path({
      pattern: 'users/',
      operations: {
        list: async () => ({ data: { keys: await listUsers(storage) } }),
      },
      synopsis: 'List the users of this mount.',
    }),
    path({
      pattern: 'users/:username',
      fields: {
        username: { type: 'string', required: true },
        password: { type: 'string', description: 'Password; required when creating the user.' },
        ...TOKEN_FIELDS,
      } as const,
      existenceCheck: async (req, data) => (await readUser(req.storage, canonicalUsername(data.username))) !== undefined,
      operations: {
        read: async (_req, data) => {
          const user = await readUser(storage, canonicalUsername(data.username));
          if (!user) return undefined;
          return { data: tokenParamsData(user) };
        },
        create: async (_req, data) => {
          const name = canonicalUsername(data.username);
          if (name === '') throw new InvalidRequest('missing username');
          if (data.password === undefined || data.password === '') throw new InvalidRequest('missing password');
          const params = parseTokenParams(data);
          const entry: UserEntry = { v: USER_ENTRY_VERSION, password_hash: await passwords.hash(data.password), ...params };
          await writeUser(storage, name, entry);
          return undefined;
        },
        update: async (_req, data) => {
          const name = canonicalUsername(data.username);
          const user = await readUser(storage, name);
          if (!user) throw new InvalidRequest('missing password');
          const params = parseTokenParams(data, user);
          const password_hash = data.password ? await passwords.hash(data.password) : user.password_hash;
          await writeUser(storage, name, { ...user, ...params, password_hash });
          return undefined;
        },
        delete: async (_req, data) => {
          await deleteUser(storage, canonicalUsername(data.username));
          return undefined;
        },
      },
      synopsis: 'Manage users allowed to authenticate.',
    }),
    path({
      pattern: 'users/:username/password',
      fields: { username: { type: 'string', required: true }, password: { type: 'string' } } as const,
      operations: {
        update: async (_req, data) => {
          const name = canonicalUsername(data.username);
          const user = await readUser(storage, name);
          if (!user) throw new InvalidRequest('username does not exist');
          if (!data.password) throw new InvalidRequest('missing password');
          await writeUser(storage, name, { ...user, password_hash: await passwords.hash(data.password) });
          return undefined;
        },
      },
      synopsis: "Reset a user's password.",
    }),
    path({
      pattern: 'users/:username/policies',
      fields: { username: { type: 'string', required: true }, token_policies: TOKEN_FIELDS.token_policies, policies: TOKEN_FIELDS.policies } as const,
      operations: {
        update: async (_req, data) => {
          const name = canonicalUsername(data.username);
          const user = await readUser(storage, name);
          if (!user) throw new InvalidRequest('username does not exist');
          const params = parseTokenParams({ token_policies: data.token_policies ?? data.policies ?? [] }, user);
          await writeUser(storage, name, { ...user, ...params });
          return undefined;
        },
      },
      synopsis: 'Update the policies associated with the username.',
    }),
  ];
}
