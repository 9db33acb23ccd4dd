/** Names of keys and roles: Vault's GenericNameRegex (word characters, inner `-` and `.`). */
import { InvalidRequest } from '../../../errors.js';

const NAME = /^\w(?:[\w.-]*\w)?$/;

export function requireName(name: string | undefined, what: string): string {
  if (!name || !NAME.test(name)) throw new InvalidRequest(`invalid ${what} name`);
  return name;
}
