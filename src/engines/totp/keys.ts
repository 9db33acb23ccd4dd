/** keys/ and keys/:name — create (generate or import), read, list, delete TOTP keys. */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { LogicalResponse } from '../../framework/logical.js';
import type { TotpDeps } from './deps.js';
import { qrCodePng } from './barcode.js';
import { base32Decode, base32Encode, otpauthUrl, parseOtpauthUrl, TOTP_ALGORITHMS, type TotpAlgorithm } from './otp.js';

const fields = {
  name: { type: 'string', required: true },
  generate: { type: 'bool', default: false },
  exported: { type: 'bool', default: true },
  key_size: { type: 'int', default: 20 },
  key: { type: 'string', default: '' },
  issuer: { type: 'string', default: '' },
  account_name: { type: 'string', default: '' },
  period: { type: 'duration', default: 30 },
  algorithm: { type: 'string', default: 'SHA1' },
  digits: { type: 'int', default: 6 },
  skew: { type: 'int', default: 1 },
  qr_size: { type: 'int', default: 200 },
  url: { type: 'string', default: '' },
} as const;

function isAlgorithm(value: string): value is TotpAlgorithm {
  return Object.hasOwn(TOTP_ALGORITHMS, value);
}

export function keysPaths(deps: TotpDeps) {
  return [
    path({
      pattern: 'keys/',
      synopsis: 'List the TOTP keys.',
      operations: {
        list: async () => ({ data: { keys: await deps.store.list() } }),
      },
    }),
    path({
      pattern: 'keys/:name',
      fields,
      synopsis: 'Manage the keys that can be created with this backend.',
      existenceCheck: async (_req, data) => (await deps.store.get(data.name)) !== undefined,
      operations: {
        read: async (_req, data) => {
          const key = await deps.store.get(data.name);
          if (!key) return undefined;
          return { data: { issuer: key.issuer, account_name: key.account_name, period: key.period, algorithm: key.algorithm, digits: key.digits } };
        },
        delete: async (_req, data) => {
          await deps.store.delete(data.name);
        },
        update: async (_req, data): Promise<LogicalResponse | void> => {
          let { issuer, account_name: accountName, period, algorithm, digits, key: keyString } = data;
          if (data.generate) {
            if (keyString !== '') throw new InvalidRequest('a key should not be passed if generate is true');
            if (data.url !== '') throw new InvalidRequest('a url should not be passed if generate is true');
          }
          if (data.url !== '') {
            const parsed = parseOtpauthUrl(data.url);
            issuer = parsed.issuer;
            accountName = parsed.accountName;
            keyString = parsed.secret;
            period = parsed.period ?? period;
            digits = parsed.digits ?? digits;
            algorithm = parsed.algorithm ?? algorithm;
          }
          if (digits !== 6 && digits !== 8) throw new InvalidRequest('the digits value can only be 6 or 8');
          if (!isAlgorithm(algorithm)) throw new InvalidRequest('the algorithm value is not valid');
          if (period <= 0) throw new InvalidRequest('the period value must be greater than zero');
          if (data.skew !== 0 && data.skew !== 1) throw new InvalidRequest('the skew value must be 0 or 1');
          if (data.qr_size < 0) throw new InvalidRequest('the qr_size value must be greater than or equal to zero');
          if (data.key_size <= 0) throw new InvalidRequest('the key_size value must be greater than zero');

          let response: LogicalResponse | undefined;
          if (data.generate) {
            if (accountName === '') throw new InvalidRequest('the account_name value is required for generated keys');
            if (issuer === '') throw new InvalidRequest('the issuer value is required for generated keys');
            keyString = base32Encode(await deps.random(data.key_size));
            if (data.exported) {
              const url = otpauthUrl({ issuer, accountName, secret: keyString, algorithm, digits, period });
              // Built before the key is stored, so a qr_size too small for the url stores nothing.
              response = { data: data.qr_size === 0 ? { url } : { url, barcode: await qrCodePng(url, data.qr_size) } };
            }
          } else {
            if (keyString === '') throw new InvalidRequest('the key value is required');
            keyString = keyString.toUpperCase().replace(/=+$/, '');
            if (base32Decode(keyString).length === 0) throw new InvalidRequest('invalid key value: empty');
          }
          await deps.store.put(data.name, {
            key: keyString, issuer, account_name: accountName, period, algorithm, digits, skew: data.skew as 0 | 1,
          });
          return response;
        },
      },
    }),
  ];
}
