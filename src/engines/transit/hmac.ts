/** hmac/ path group: HMAC of input with a key version's HMAC key, single or batch. */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import { batchItems, itemInt, itemString, runBatch, type Item } from './batch.js';
import { decodeBase64 } from './ciphertext.js';
import { requireKey, type TransitDeps } from './deps.js';
import { DEFAULT_HASH } from './key-types.js';
import { hmacInput, type TransitKey } from './keyring.js';

function hmacItem(key: TransitKey, algorithm: string, item: Item) {
  const input = itemString(item, 'input');
  if (input === undefined) throw new InvalidRequest('missing input for HMAC');
  const out = hmacInput(key, decodeBase64(input, 'input'), algorithm, itemInt(item, 'key_version'));
  return { hmac: out.hmac };
}

export function hmacPaths(deps: TransitDeps) {
  return [
    path({
      pattern: 'hmac/:name/:urlalgorithm?',
      fields: {
        name: { type: 'string', required: true },
        urlalgorithm: { type: 'string' },
        algorithm: { type: 'string', default: DEFAULT_HASH },
        input: { type: 'string' },
        key_version: { type: 'int' },
        batch_input: { type: 'any' },
      },
      operations: {
        async update(req, d) {
          const key = await requireKey(deps, d.name);
          const algorithm = d.urlalgorithm ?? d.algorithm;
          const items = batchItems(d.batch_input);
          if (items) return runBatch(items, async (item) => hmacItem(key, algorithm, item));
          return { data: hmacItem(key, algorithm, { input: req.data.input, key_version: req.data.key_version }) };
        },
      },
      synopsis: 'Generate an HMAC for input data using a named key.',
    }),
  ];
}
