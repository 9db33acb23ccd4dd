/** Token and accessor identifiers: random base62, Vault's prefixes. */
import { randomBase62 } from '../../crypto/random-pool.js';

export { randomBase62 };

export const SERVICE_TOKEN_PREFIX = 'hvs.';
export const BATCH_TOKEN_PREFIX = 'hvb.';
export const TOKEN_BODY_LENGTH = 24;

export function newServiceTokenId(): string {
  return SERVICE_TOKEN_PREFIX + randomBase62(TOKEN_BODY_LENGTH);
}

export function newAccessor(): string {
  return randomBase62(24);
}
