/** kms/ path group: configure, read, list and delete KMS providers. Credentials are write-only. */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { KeymgmtDeps } from './deps.js';
import { PROVIDERS, providerSpec } from './providers/index.js';

export function kmsPaths(deps: KeymgmtDeps) {
  const { store } = deps;
  return [
    path({
      pattern: 'kms/',
      operations: {
        async list() {
          return { data: { keys: await store.listProviders() } };
        },
      },
      synopsis: 'List the KMS providers.',
    }),
    path({
      pattern: 'kms/:name',
      fields: {
        name: { type: 'string', required: true, description: 'Name of the KMS provider.' },
        provider: { type: 'string', oneOf: Object.keys(PROVIDERS), description: 'The external KMS; cannot be changed after creation.' },
        key_collection: { type: 'string', description: 'Where keys go in the provider (AWS region, Key Vault name); cannot be changed after creation.' },
        credentials: { type: 'keyPairs', description: 'Credentials for the provider (write-only; never returned).' },
      },
      existenceCheck: async (_req, d) => (await store.getProvider(d.name)) !== undefined,
      operations: {
        async update(_req, d) {
          await store.exclusive(async () => {
            const existing = await store.getProvider(d.name);
            if (existing) {
              if (d.provider !== undefined && d.provider !== existing.provider) throw new InvalidRequest('provider cannot be changed after creation');
              if (d.key_collection !== undefined && d.key_collection !== existing.keyCollection) throw new InvalidRequest('key_collection cannot be changed after creation');
            }
            const provider = existing?.provider ?? d.provider;
            const keyCollection = existing?.keyCollection ?? d.key_collection;
            if (!provider) throw new InvalidRequest('missing provider');
            if (!keyCollection) throw new InvalidRequest('missing key_collection');
            const spec = providerSpec(provider);
            const credentials = d.credentials ?? existing?.credentials ?? {};
            for (const k of Object.keys(credentials)) {
              if (!spec.credentialKeys.includes(k)) throw new InvalidRequest(`credentials: unknown key "${k}" for ${provider}; known: ${spec.credentialKeys.join(', ')}`);
            }
            spec.validate(keyCollection, credentials);
            await store.putProvider({ name: d.name, provider, keyCollection, credentials });
          });
        },
        async read(_req, d) {
          const p = await store.getProvider(d.name);
          if (p) return { data: { provider: p.provider, key_collection: p.keyCollection } };
        },
        async delete(_req, d) {
          await store.exclusive(async () => {
            const keys = await store.listDistributedKeys(d.name);
            if (keys.length > 0) throw new InvalidRequest(`keys are still distributed to this KMS provider: ${keys.join(', ')}; remove them first`);
            await store.deleteProvider(d.name);
          });
        },
      },
      synopsis: 'Configure, read or delete a KMS provider.',
    }),
  ];
}
