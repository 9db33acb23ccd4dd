/** sign/ and verify/ path groups (signatures and HMAC verification), single or batch. */
import { InvalidRequest } from '../../errors.js';
import type { LogicalRequest } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { batchItems, itemBytes, itemInt, itemString, runBatch, type Item } from './batch.js';
import { decodeBase64 } from './ciphertext.js';
import { requireKey, type TransitDeps } from './deps.js';
import { DEFAULT_HASH } from './key-types.js';
import { signInput, verifyHmac, verifySignature, type Marshaling, type SignatureAlgorithm, type SignOptions, type TransitKey } from './keyring.js';

const fields = {
  name: { type: 'string', required: true },
  urlalgorithm: { type: 'string' },
  hash_algorithm: { type: 'string' },
  algorithm: { type: 'string' },
  input: { type: 'string' },
  context: { type: 'string' },
  key_version: { type: 'int' },
  prehashed: { type: 'bool', default: false },
  signature_algorithm: { type: 'string', oneOf: ['pss', 'pkcs1v15'] },
  marshaling_algorithm: { type: 'string', default: 'asn1', oneOf: ['asn1', 'jws'] },
  salt_length: { type: 'string', default: 'auto' },
  batch_input: { type: 'any' },
  signature: { type: 'string' },
  hmac: { type: 'string' },
} as const;

type Data = {
  urlalgorithm?: string; hash_algorithm?: string; algorithm?: string; prehashed: boolean;
  signature_algorithm?: string; marshaling_algorithm: string; salt_length: string;
};

function requestOptions(d: Data): Omit<SignOptions, 'context' | 'keyVersion'> {
  return {
    hashAlgorithm: d.urlalgorithm ?? d.hash_algorithm ?? d.algorithm ?? DEFAULT_HASH,
    prehashed: d.prehashed,
    signatureAlgorithm: d.signature_algorithm as SignatureAlgorithm | undefined,
    marshaling: d.marshaling_algorithm as Marshaling,
    saltLength: d.salt_length,
  };
}

function inputOf(item: Item): Buffer {
  const input = itemString(item, 'input');
  if (input === undefined) throw new InvalidRequest('missing input');
  return decodeBase64(input, 'input');
}

function single(req: LogicalRequest): Item {
  const { input, context, key_version, signature, hmac } = req.data;
  return { input, context, key_version, signature, hmac };
}

export function signPaths(deps: TransitDeps) {
  const sign = (key: TransitKey, base: ReturnType<typeof requestOptions>, item: Item) => {
    const out = signInput(key, inputOf(item), { ...base, context: itemBytes(item, 'context'), keyVersion: itemInt(item, 'key_version') });
    return { signature: out.signature, key_version: out.version, ...(out.publicKey ? { public_key: out.publicKey.toString('base64') } : {}) };
  };
  const verify = (key: TransitKey, base: ReturnType<typeof requestOptions>, item: Item) => {
    const signature = itemString(item, 'signature');
    const hmac = itemString(item, 'hmac');
    if (signature !== undefined && hmac !== undefined) throw new InvalidRequest('provide one of "signature" or "hmac", not both');
    if (hmac !== undefined) return { valid: verifyHmac(key, inputOf(item), hmac, base.hashAlgorithm) };
    if (signature === undefined) throw new InvalidRequest('missing signature or hmac to verify');
    return { valid: verifySignature(key, inputOf(item), signature, { ...base, context: itemBytes(item, 'context') }) };
  };
  const handler = (work: (key: TransitKey, base: ReturnType<typeof requestOptions>, item: Item) => Record<string, unknown>) => async (req: LogicalRequest, d: Data & { name: string; batch_input?: unknown }) => {
    const key = await requireKey(deps, d.name, 'signing key');
    const base = requestOptions(d);
    const items = batchItems(d.batch_input);
    if (items) return runBatch(items, async (item) => work(key, base, item));
    return { data: work(key, base, single(req)) };
  };
  return [
    path({ pattern: 'sign/:name/:urlalgorithm?', fields, operations: { update: handler(sign) }, synopsis: 'Sign data using a named key.' }),
    path({ pattern: 'verify/:name/:urlalgorithm?', fields, operations: { update: handler(verify) }, synopsis: 'Verify a signature or HMAC.' }),
  ];
}
