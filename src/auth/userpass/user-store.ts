/** Stored userpass users: `user/<canonical name>` → versioned JSON (a permanent layout). */
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';
import { canonicalAlias } from '../common/lockout.js';
import type { TokenParams } from '../common/token-params.js';

export const USER_ENTRY_VERSION = 1;

export interface UserEntry extends TokenParams {
  v: number;
  /** `$scrypt$v=1$…` (see common/password-hash.ts). */
  password_hash: string;
}

/** Users are stored and looked up by their canonical name (trimmed, lower case). */
export const canonicalUsername = canonicalAlias;

export const readUser = (storage: Pick<BarrierStorage, 'get'>, name: string) =>
  name === '' || name.includes('/') ? Promise.resolve(undefined) : getJson<UserEntry>(storage, `user/${name}`);

export const writeUser = (storage: Pick<BarrierStorage, 'put'>, name: string, entry: UserEntry) => putJson(storage, `user/${name}`, entry);

export const deleteUser = (storage: Pick<BarrierStorage, 'delete'>, name: string) => storage.delete(`user/${name}`);

export const listUsers = (storage: Pick<BarrierStorage, 'list'>) => storage.list('user/');
