/** keys/ path group: create, read, list, delete, config, rotate, trim. */
import { InvalidRequest, NotFound } from '../../errors.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import type { TransitDeps } from './deps.js';
import { DEFAULT_KEY_TYPE } from './key-types.js';
import { createKey, describeKey, rotateKey, trimKey, updateConfig, type ConfigChanges } from './keyring.js';

const described = (key: Parameters<typeof describeKey>[0], warnings: string[] = []): LogicalResponse => ({
  data: describeKey(key), ...(warnings.length > 0 ? { warnings } : {}),
});

export function keysPaths(deps: TransitDeps) {
  return [
    path({
      pattern: 'keys/',
      operations: {
        async list() {
          return { data: { keys: (await deps.store.list()).sort() } };
        },
      },
      synopsis: 'List the named keys.',
    }),
    path({
      pattern: 'keys/:name',
      fields: {
        name: { type: 'string', required: true },
        type: { type: 'string', default: DEFAULT_KEY_TYPE },
        derived: { type: 'bool', default: false },
        convergent_encryption: { type: 'bool', default: false },
        exportable: { type: 'bool', default: false },
        allow_plaintext_backup: { type: 'bool', default: false },
        auto_rotate_period: { type: 'duration', default: 0 },
        key_size: { type: 'int', default: 0 },
        context: { type: 'string' },
      },
      operations: {
        async update(_req, d) {
          let created = false;
          const key = await deps.store.update(d.name, async (existing) => {
            if (existing) return { key: existing, result: existing };
            const key = await createKey({
              name: d.name, type: d.type, derived: d.derived, convergent: d.convergent_encryption,
              exportable: d.exportable, allowPlaintextBackup: d.allow_plaintext_backup,
              autoRotatePeriod: d.auto_rotate_period, keySize: d.key_size,
            }, deps.random, deps.now());
            created = true;
            return { key, result: key };
          });
          return described(key!, created ? [] : ['key already exists; its settings were not changed']);
        },
        async read(_req, d) {
          const key = await deps.store.get(d.name);
          if (key) return described(key);
        },
        async delete(_req, d) {
          const key = await deps.store.get(d.name);
          if (!key) throw new InvalidRequest('could not delete key; not found');
          if (!key.deletionAllowed) throw new InvalidRequest('deletion is not allowed for this key');
          await deps.store.delete(d.name);
        },
      },
      synopsis: 'Manage named encryption keys.',
    }),
    path({
      pattern: 'keys/:name/config',
      fields: {
        name: { type: 'string', required: true },
        min_decryption_version: { type: 'int' },
        min_encryption_version: { type: 'int' },
        deletion_allowed: { type: 'bool' },
        exportable: { type: 'bool' },
        allow_plaintext_backup: { type: 'bool' },
        auto_rotate_period: { type: 'duration' },
      },
      operations: {
        async update(_req, d) {
          const changes: ConfigChanges = {
            minDecryptionVersion: d.min_decryption_version,
            minEncryptionVersion: d.min_encryption_version,
            deletionAllowed: d.deletion_allowed,
            exportable: d.exportable,
            allowPlaintextBackup: d.allow_plaintext_backup,
            autoRotatePeriod: d.auto_rotate_period,
          };
          const out = await deps.store.update(d.name, async (key) => {
            if (!key) throw new NotFound('no such key');
            const warnings = updateConfig(key, changes);
            return { key, result: { key, warnings } };
          });
          return described(out!.key, out!.warnings);
        },
      },
      synopsis: 'Configure a named key.',
    }),
    path({
      pattern: 'keys/:name/rotate',
      fields: { name: { type: 'string', required: true } },
      operations: {
        async update(_req, d) {
          const key = await deps.store.update(d.name, async (key) => {
            if (!key) throw new InvalidRequest('key not found');
            await rotateKey(key, deps.random, deps.now());
            return { key, result: key };
          });
          return described(key!);
        },
      },
      synopsis: 'Rotate a named key.',
    }),
    path({
      pattern: 'keys/:name/trim',
      fields: {
        name: { type: 'string', required: true },
        min_available_version: { type: 'int', required: true },
      },
      operations: {
        async update(_req, d) {
          const key = await deps.store.update(d.name, async (key) => {
            if (!key) throw new InvalidRequest('invalid key name');
            trimKey(key, d.min_available_version);
            return { key, result: key };
          });
          return described(key!);
        },
      },
      synopsis: 'Trim key versions of a named key.',
    }),
  ];
}
