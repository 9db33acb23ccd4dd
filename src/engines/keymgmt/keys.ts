/** key/ path group: create, update, read, list, delete, rotate, and where a key is distributed. */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { KeymgmtDeps } from './deps.js';
import { generateMaterial, publicKeyPem } from './key-material.js';
import { DEFAULT_KEY_TYPE, keyTypeSpec } from './key-types.js';
import type { ManagedKey } from './records.js';
import { rotateKey, syncAllDistributions } from './sync.js';

/** Vault's key read: never any secret material, only public keys of asymmetric versions. */
export function describeKey(key: ManagedKey): Record<string, unknown> {
  const keys: Record<string, Record<string, string>> = {};
  for (const [n, v] of [...key.versions].sort((a, b) => a[0] - b[0])) {
    const publicKey = publicKeyPem(v.material);
    keys[String(n)] = { creation_time: v.created.toISOString(), ...(publicKey ? { public_key: publicKey } : {}) };
  }
  return {
    name: key.name, type: key.type, deletion_allowed: key.deletionAllowed,
    min_enabled_version: key.minEnabledVersion, latest_version: key.latestVersion, keys,
  };
}

export function keysPaths(deps: KeymgmtDeps) {
  const { store } = deps;
  const providersOfKey = async (name: string) => ({ data: { keys: await store.providersOfKey(name) } });
  return [
    path({
      pattern: 'key/',
      operations: {
        async list() {
          return { data: { keys: await store.listKeys() } };
        },
      },
      synopsis: 'List the named keys.',
    }),
    path({
      pattern: 'key/:name',
      fields: {
        name: { type: 'string', required: true, description: 'Name of the key.' },
        type: { type: 'string', description: `Key type, set at creation (default "${DEFAULT_KEY_TYPE}").` },
        min_enabled_version: { type: 'int', description: 'Versions below this are disabled in every KMS provider; 0 enables all.' },
        deletion_allowed: { type: 'bool', description: 'Whether the key may be deleted.' },
      },
      existenceCheck: async (_req, d) => (await store.getKey(d.name)) !== undefined,
      operations: {
        async update(_req, d) {
          await store.exclusive(async () => {
            const existing = await store.getKey(d.name);
            if (!existing) {
              const spec = keyTypeSpec(d.type ?? DEFAULT_KEY_TYPE);
              if (d.min_enabled_version !== undefined && d.min_enabled_version > 1) throw new InvalidRequest('min_enabled_version cannot exceed the latest version (1)');
              const created = deps.now();
              await store.putKey({
                name: d.name, type: spec.name, deletionAllowed: d.deletion_allowed ?? false,
                minEnabledVersion: Math.max(0, d.min_enabled_version ?? 0), latestVersion: 1,
                versions: new Map([[1, { material: await generateMaterial(spec, deps.random), created }]]),
              });
              return;
            }
            if (d.type !== undefined && d.type !== existing.type) throw new InvalidRequest('the type of an existing key cannot be changed');
            if (d.min_enabled_version !== undefined) {
              if (d.min_enabled_version < 0) throw new InvalidRequest('min_enabled_version cannot be negative');
              if (d.min_enabled_version > existing.latestVersion) throw new InvalidRequest(`min_enabled_version cannot exceed the latest version (${existing.latestVersion})`);
            }
            const enabledChanged = d.min_enabled_version !== undefined && d.min_enabled_version !== existing.minEnabledVersion;
            existing.minEnabledVersion = d.min_enabled_version ?? existing.minEnabledVersion;
            existing.deletionAllowed = d.deletion_allowed ?? existing.deletionAllowed;
            await store.putKey(existing);
            if (enabledChanged) await syncAllDistributions(deps, existing, `key "${d.name}" updated`);
          });
        },
        async read(_req, d) {
          const key = await store.getKey(d.name);
          if (key) return { data: describeKey(key) };
        },
        async delete(_req, d) {
          await store.exclusive(async () => {
            const key = await store.getKey(d.name);
            if (!key) return;
            if (!key.deletionAllowed) throw new InvalidRequest('deletion is not allowed for this key; set deletion_allowed first');
            const providers = await store.providersOfKey(d.name);
            if (providers.length > 0) throw new InvalidRequest(`the key is still distributed to: ${providers.join(', ')}; remove it from those KMS providers first`);
            await store.deleteKey(d.name);
          });
        },
      },
      synopsis: 'Create, update, read or delete a named key.',
    }),
    path({
      pattern: 'key/:name/rotate',
      fields: { name: { type: 'string', required: true, description: 'Name of the key.' } },
      operations: {
        async update(_req, d) {
          await store.exclusive(() => rotateKey(deps, d.name));
        },
      },
      synopsis: 'Rotate a key: a new version in Arca and in every KMS provider holding the key.',
    }),
    path({
      pattern: 'key/:name/kms/',
      fields: { name: { type: 'string', required: true, description: 'Name of the key.' } },
      operations: {
        list: (_req, d) => providersOfKey(d.name),
      },
      synopsis: 'List the KMS providers a key is distributed to.',
    }),
    path({
      pattern: 'key/:name/kms',
      fields: { name: { type: 'string', required: true, description: 'Name of the key.' } },
      operations: {
        read: (_req, d) => providersOfKey(d.name),
      },
      synopsis: 'List the KMS providers a key is distributed to (Vault also answers it as a read).',
    }),
  ];
}
