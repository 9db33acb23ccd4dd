/** random/, hash/ and cache-config path groups (Vault's transit utilities). */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import { decodeBase64 } from './ciphertext.js';
import type { TransitDeps } from './deps.js';
import { DEFAULT_HASH } from './key-types.js';
import { digest } from './keyring.js';

export const MAX_RANDOM_BYTES = 128 * 1024;
const SOURCES = ['platform', 'seal', 'all'];

function encode(bytes: Buffer, format: string): string {
  if (format === 'hex') return bytes.toString('hex');
  if (format === 'base64') return bytes.toString('base64');
  throw new InvalidRequest('unsupported encoding format; must be "hex" or "base64"');
}

export function toolsPaths(deps: TransitDeps) {
  return [
    path({
      pattern: 'random/:first?/:second?',
      fields: {
        first: { type: 'string' },
        second: { type: 'string' },
        bytes: { type: 'int', default: 32 },
        format: { type: 'string', default: 'base64' },
        source: { type: 'string', default: 'platform' },
      },
      operations: {
        async update(_req, d) {
          // random/<bytes>, random/<source>, random/<source>/<bytes>
          let source = d.source;
          let bytesText: string | undefined;
          if (d.first !== undefined && /^\d+$/.test(d.first) && d.second === undefined) bytesText = d.first;
          else if (d.first !== undefined) { source = d.first; bytesText = d.second; }
          if (!SOURCES.includes(source)) throw new InvalidRequest('unsupported random source; must be "platform", "seal" or "all"');
          if (bytesText !== undefined && !/^\d+$/.test(bytesText)) throw new InvalidRequest('error parsing url-set byte count');
          const count = bytesText !== undefined ? Number(bytesText) : d.bytes;
          if (count < 1) throw new InvalidRequest('number of bytes must be positive');
          if (count > MAX_RANDOM_BYTES) throw new InvalidRequest(`number of bytes exceeds the maximum of ${MAX_RANDOM_BYTES}`);
          if (d.format !== 'hex' && d.format !== 'base64') throw new InvalidRequest('unsupported encoding format; must be "hex" or "base64"');
          const bytes = source === 'platform' ? await deps.platformRandom(count) : await deps.random(count);
          return { data: { random_bytes: encode(bytes, d.format) } };
        },
      },
      synopsis: 'Generate random bytes.',
    }),
    path({
      pattern: 'hash/:urlalgorithm?',
      fields: {
        urlalgorithm: { type: 'string' },
        algorithm: { type: 'string', default: DEFAULT_HASH },
        input: { type: 'string', required: true },
        format: { type: 'string', default: 'hex' },
      },
      operations: {
        async update(_req, d) {
          if (d.format !== 'hex' && d.format !== 'base64') throw new InvalidRequest('unsupported encoding format; must be "hex" or "base64"');
          const sum = digest(d.urlalgorithm ?? d.algorithm, decodeBase64(d.input, 'input'));
          return { data: { sum: encode(sum, d.format) } };
        },
      },
      synopsis: 'Hash data.',
    }),
    path({
      pattern: 'cache-config',
      fields: { size: { type: 'int', default: 0 } },
      operations: {
        async read() {
          return { data: { size: await deps.store.cacheSize() } };
        },
        async update(_req, d) {
          await deps.store.setCacheSize(d.size);
          return { data: { size: d.size } };
        },
      },
      synopsis: 'Configure the size of the in-memory key cache (0 = unbounded).',
    }),
  ];
}
