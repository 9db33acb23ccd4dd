/** One-time passwords for generate-root and decoding the encoded root token (XOR, as Vault does). */
import { randomInt } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** `hvs.` + 24 characters. */
export const DEFAULT_OTP_LENGTH = 28;

export function generateOtp(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

export class DecodeError extends Error {}

/** encoded = base64(token XOR otp); the token is as long as the otp. */
export function decodeRootToken(encoded: string, otp: string): string {
  const text = encoded.trim().replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(text)) throw new DecodeError('encoded token is not base64');
  const cipher = Buffer.from(text, 'base64');
  const pad = Buffer.from(otp, 'utf8');
  if (cipher.length !== pad.length) throw new DecodeError('encoded token and OTP lengths differ');
  const out = Buffer.alloc(cipher.length);
  for (let i = 0; i < cipher.length; i++) out[i] = cipher[i] ^ pad[i];
  return out.toString('utf8');
}
