/**
 * sys/tools/random[/:source][/:bytes] and sys/tools/hash[/:algorithm]: random bytes and digests.
 *
 * Random sources: `platform` (the system CSPRNG), `seal` (the seal's generator, e.g. an HSM's
 * C_GenerateRandom; 400 when the seal has none, where Vault would warn and use the platform) and
 * `all` (both, mixed through the entropy-augmentation HKDF construction of src/crypto/entropy.ts;
 * the platform alone, with a warning, when the seal has no generator).
 */
import { createHash, randomBytes } from 'node:crypto';
import { InvalidRequest, UpstreamError } from '../../errors.js';
import { createEntropySource } from '../../crypto/entropy.js';
import { path, type Handler } from '../../framework/path.js';
import type { Seal } from '../../seal/types.js';
import type { SysContext } from './context.js';

export const RANDOM_MAX_BYTES = 128 * 1024;
/** Largest single request to the seal's generator (AWS KMS GenerateRandom's limit; HSMs vary). */
export const SEAL_RANDOM_CHUNK = 1024;

const SOURCES = ['platform', 'seal', 'all'] as const;
type Source = (typeof SOURCES)[number];

/** Vault's algorithm names → node:crypto digest names. */
export const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  'sha2-224': 'sha224',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
};

const FORMATS = ['hex', 'base64'] as const;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface ToolsDeps {
  /** The seal whose generator serves `seal` and `all` (read at request time: seal migration may change it). */
  seal: () => Pick<Seal, 'type' | 'random'>;
  /** The platform source; node:crypto's CSPRNG unless a test supplies another. */
  platform?: (n: number) => Buffer;
}

function isSource(value: string): value is Source {
  return (SOURCES as readonly string[]).includes(value);
}

function parseCount(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new InvalidRequest(`error parsing url-set byte count: "${text}" is not an integer`);
  return Number(text);
}

/** Vault's reading of the URL: `random/<source>`, `random/<bytes>` or `random/<source>/<bytes>`. */
export function resolveRandomRequest(data: { source?: string; urlbytes?: string; bytes: number }): { source: Source; bytes: number } {
  const { source, urlbytes } = data;
  if (source === undefined || source === '') return { source: 'platform', bytes: data.bytes };
  if (urlbytes === undefined || urlbytes === '') {
    return isSource(source) ? { source, bytes: data.bytes } : { source: 'platform', bytes: parseCount(source) };
  }
  if (!isSource(source)) throw new InvalidRequest(`unsupported entropy source "${source}"; must be "platform", "seal" or "all"`);
  return { source, bytes: parseCount(urlbytes) };
}

function encode(bytes: Buffer, format: string): string {
  return format === 'hex' ? bytes.toString('hex') : bytes.toString('base64');
}

function checkFormat(format: string): void {
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new InvalidRequest(`unsupported encoding format "${format}"; must be "hex" or "base64"`);
  }
}

export function toolsPaths(ctx: SysContext) {
  return toolsPathsFor({ seal: () => ctx.core.configuredSeal });
}

export function toolsPathsFor(deps: ToolsDeps) {
  const platform = deps.platform ?? randomBytes;

  /** n bytes from the seal's generator, asked for in chunks; failures surface as UpstreamError. */
  async function fromSeal(sealType: string, random: NonNullable<Seal['random']>, n: number): Promise<Buffer> {
    const out = Buffer.alloc(n);
    for (let offset = 0; offset < n; offset += SEAL_RANDOM_CHUNK) {
      const want = Math.min(SEAL_RANDOM_CHUNK, n - offset);
      let part: Uint8Array;
      try {
        part = await random(want);
      } catch (err) {
        out.fill(0);
        throw new UpstreamError(`seal "${sealType}" random number generator failed`, { cause: err });
      }
      if (!(part instanceof Uint8Array) || part.length !== want) {
        out.fill(0);
        throw new UpstreamError(`seal "${sealType}" random number generator returned the wrong number of bytes`);
      }
      out.set(part, offset);
      part.fill(0);
    }
    return out;
  }

  async function generate(source: Source, n: number): Promise<{ bytes: Buffer; warning?: string }> {
    if (source === 'platform') return { bytes: platform(n) };
    const seal = deps.seal();
    const random = seal.random?.bind(seal);
    if (random === undefined) {
      if (source === 'seal') {
        throw new InvalidRequest(`entropy source "seal" is not available: seal "${seal.type}" has no random number generator`);
      }
      return { bytes: platform(n), warning: `seal "${seal.type}" has no random number generator; the bytes come from the platform source only` };
    }
    if (source === 'seal') return { bytes: await fromSeal(seal.type, random, n) };
    const mixed = createEntropySource((count) => fromSeal(seal.type, random, count), { system: platform });
    return { bytes: await mixed.randomBytes(n) };
  }

  const randomFields = {
    source: { type: 'string', description: 'platform (default), seal or all; or, alone in the URL, the byte count.' },
    urlbytes: { type: 'string', description: 'The byte count, from the URL.' },
    bytes: { type: 'int', default: 32, description: 'Number of bytes to return.' },
    format: { type: 'string', default: 'base64', description: 'hex or base64.' },
  } as const;

  const randomHandler: Handler<typeof randomFields> = async (_req, data) => {
    const { source, bytes } = resolveRandomRequest(data);
    if (bytes < 1) throw new InvalidRequest("'bytes' cannot be less than 1");
    if (bytes > RANDOM_MAX_BYTES) throw new InvalidRequest(`'bytes' should be less than ${RANDOM_MAX_BYTES}`);
    checkFormat(data.format);
    const { bytes: out, warning } = await generate(source, bytes);
    try {
      return { data: { random_bytes: encode(out, data.format) }, ...(warning ? { warnings: [warning] } : {}) };
    } finally {
      out.fill(0);
    }
  };

  const hashFields = {
    input: { type: 'string', default: '', description: 'The data to hash, base64-encoded.' },
    algorithm: { type: 'string', default: 'sha2-256', description: `One of ${Object.keys(HASH_ALGORITHMS).join(', ')}.` },
    urlalgorithm: { type: 'string', description: 'The algorithm, from the URL (wins over the body).' },
    format: { type: 'string', default: 'hex', description: 'hex or base64.' },
  } as const;

  const hashHandler: Handler<typeof hashFields> = async (_req, data) => {
    const algorithm = data.urlalgorithm || data.algorithm;
    if (!BASE64.test(data.input)) throw new InvalidRequest('unable to decode input as base64');
    checkFormat(data.format);
    const digest = HASH_ALGORITHMS[algorithm];
    if (digest === undefined) throw new InvalidRequest(`unsupported algorithm ${algorithm}`);
    const sum = createHash(digest).update(Buffer.from(data.input, 'base64')).digest();
    return { data: { sum: encode(sum, data.format) } };
  };

  return {
    paths: [
      path({
        pattern: 'tools/random/:source?/:urlbytes?',
        fields: randomFields,
        synopsis: 'Random bytes from the platform, the seal, or both.',
        operations: { update: randomHandler, read: randomHandler },
      }),
      path({
        pattern: 'tools/hash/:urlalgorithm?',
        fields: hashFields,
        synopsis: 'The digest of base64-encoded input.',
        operations: { update: hashHandler, read: hashHandler },
      }),
    ],
  };
}
