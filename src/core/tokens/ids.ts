/** Token and accessor identifiers: random base62, Vault's prefixes. */
import { randomInt } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
  return out;
}

export const SERVICE_TOKEN_PREFIX = 'hvs.';
export const BATCH_TOKEN_PREFIX = 'hvb.';
export const TOKEN_BODY_LENGTH = 24;

export function newServiceTokenId(): string {
  return SERVICE_TOKEN_PREFIX + randomBase62(TOKEN_BODY_LENGTH);
}

export function newAccessor(): string {
  return randomBase62(24);
}
