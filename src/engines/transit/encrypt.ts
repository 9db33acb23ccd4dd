/** encrypt/, decrypt/, rewrap/ and datakey/ path groups, each single or batch. */
import { InvalidRequest } from '../../errors.js';
import type { LogicalRequest } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { batchItems, itemBytes, itemInt, itemString, runBatch, type Item } from './batch.js';
import { decodeBase64 } from './ciphertext.js';
import { requireKey, type TransitDeps } from './deps.js';
import { DEFAULT_KEY_TYPE } from './key-types.js';
import { createKey, decryptValue, encryptValue, type TransitKey } from './keyring.js';

const common = {
  name: { type: 'string', required: true },
  context: { type: 'string' },
  nonce: { type: 'string' },
  key_version: { type: 'int' },
  associated_data: { type: 'string' },
  batch_input: { type: 'any' },
  partial_failure_response_code: { type: 'int' },
} as const;

/** The single-request fields as one batch item, so both forms share a code path. */
function singleItem(req: LogicalRequest, names: string[]): Item {
  const item: Item = {};
  for (const n of names) if (req.data[n] !== undefined) item[n] = req.data[n];
  return item;
}

function encryptItem(key: TransitKey, item: Item): Record<string, unknown> {
  const plaintext = itemString(item, 'plaintext');
  if (plaintext === undefined) throw new InvalidRequest('missing plaintext to encrypt');
  const out = encryptValue(key, decodeBase64(plaintext, 'plaintext'), {
    context: itemBytes(item, 'context'),
    nonce: itemBytes(item, 'nonce'),
    keyVersion: itemInt(item, 'key_version'),
    associatedData: itemBytes(item, 'associated_data'),
  });
  return { ciphertext: out.ciphertext, key_version: out.version };
}

function decryptItem(key: TransitKey, item: Item): Record<string, unknown> {
  const ciphertext = itemString(item, 'ciphertext');
  if (!ciphertext) throw new InvalidRequest('missing ciphertext to decrypt');
  const out = decryptValue(key, ciphertext, { context: itemBytes(item, 'context'), associatedData: itemBytes(item, 'associated_data') });
  return { plaintext: out.plaintext.toString('base64') };
}

function rewrapItem(key: TransitKey, item: Item): Record<string, unknown> {
  const ciphertext = itemString(item, 'ciphertext');
  if (!ciphertext) throw new InvalidRequest('missing ciphertext to rewrap');
  const context = itemBytes(item, 'context');
  const { plaintext } = decryptValue(key, ciphertext, { context });
  const out = encryptValue(key, plaintext, { context, nonce: itemBytes(item, 'nonce'), keyVersion: itemInt(item, 'key_version') });
  return { ciphertext: out.ciphertext, key_version: out.version };
}

async function serve(
  req: LogicalRequest,
  key: TransitKey,
  batchRaw: unknown,
  partialCode: number | undefined,
  singleFields: string[],
  work: (key: TransitKey, item: Item) => Record<string, unknown>,
) {
  const items = batchItems(batchRaw);
  if (items) return runBatch(items, async (item) => work(key, item), partialCode);
  return { data: work(key, singleItem(req, singleFields)) };
}

export function encryptPaths(deps: TransitDeps) {
  return [
    path({
      pattern: 'encrypt/:name',
      fields: {
        ...common,
        plaintext: { type: 'string' },
        type: { type: 'string', default: DEFAULT_KEY_TYPE },
        convergent_encryption: { type: 'bool', default: false },
      },
      existenceCheck: async (_req, d) => (await deps.store.get(d.name)) !== undefined,
      operations: {
        async create(req, d) {
          // Vault's upsert: encrypting with a missing key creates it (needs `create` capability).
          const items = batchItems(d.batch_input);
          const derived = d.context !== undefined || (items?.some((i) => i.context !== undefined) ?? false);
          const key = await deps.store.update(d.name, async (existing) => {
            if (existing) return { key: existing, result: existing };
            const key = await createKey({ name: d.name, type: d.type, derived, convergent: d.convergent_encryption }, deps.random, deps.now());
            return { key, result: key };
          });
          return serve(req, key!, d.batch_input, d.partial_failure_response_code, ['plaintext', 'context', 'nonce', 'key_version', 'associated_data'], encryptItem);
        },
        async update(req, d) {
          const key = await requireKey(deps, d.name);
          return serve(req, key, d.batch_input, d.partial_failure_response_code, ['plaintext', 'context', 'nonce', 'key_version', 'associated_data'], encryptItem);
        },
      },
      synopsis: 'Encrypt a plaintext value or a batch of values using a named key.',
    }),
    path({
      pattern: 'decrypt/:name',
      fields: { ...common, ciphertext: { type: 'string' } },
      operations: {
        async update(req, d) {
          const key = await requireKey(deps, d.name);
          return serve(req, key, d.batch_input, d.partial_failure_response_code, ['ciphertext', 'context', 'nonce', 'associated_data'], decryptItem);
        },
      },
      synopsis: 'Decrypt a ciphertext value or a batch of values using a named key.',
    }),
    path({
      pattern: 'rewrap/:name',
      fields: { ...common, ciphertext: { type: 'string' } },
      operations: {
        async update(req, d) {
          const key = await requireKey(deps, d.name);
          return serve(req, key, d.batch_input, d.partial_failure_response_code, ['ciphertext', 'context', 'nonce', 'key_version'], rewrapItem);
        },
      },
      synopsis: 'Rewrap ciphertext with the latest (or a chosen) version of the key.',
    }),
    path({
      pattern: 'datakey/:plaintext/:name',
      fields: {
        name: { type: 'string', required: true },
        plaintext: { type: 'string', required: true, oneOf: ['plaintext', 'wrapped'] },
        context: { type: 'string' },
        nonce: { type: 'string' },
        bits: { type: 'int', default: 256 },
        key_version: { type: 'int' },
      },
      operations: {
        async update(_req, d) {
          if (![128, 256, 512].includes(d.bits)) throw new InvalidRequest('invalid bits value; must be 128, 256 or 512');
          const key = await requireKey(deps, d.name);
          const dataKey = await deps.random(d.bits / 8);
          const out = encryptValue(key, dataKey, {
            context: d.context ? decodeBase64(d.context, 'context') : undefined,
            nonce: d.nonce ? decodeBase64(d.nonce, 'nonce') : undefined,
            keyVersion: d.key_version,
          });
          const data: Record<string, unknown> = { ciphertext: out.ciphertext, key_version: out.version };
          if (d.plaintext === 'plaintext') data.plaintext = dataKey.toString('base64');
          dataKey.fill(0);
          return { data };
        },
      },
      synopsis: 'Generate a data key, returned wrapped (and in plaintext if asked).',
    }),
  ];
}
