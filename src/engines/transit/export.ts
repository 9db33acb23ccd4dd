/** export/, backup/ and restore/ path groups. */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import { requireKey, type TransitDeps } from './deps.js';
import { decodeBackup, encodeBackup } from './key-codec.js';
import { exportKey } from './keyring.js';

export function exportPaths(deps: TransitDeps) {
  return [
    path({
      pattern: 'export/:type/:name/:version?',
      fields: {
        type: { type: 'string', required: true },
        name: { type: 'string', required: true },
        version: { type: 'string' },
      },
      operations: {
        async read(_req, d) {
          const key = await requireKey(deps, d.name, 'key');
          return { data: { name: key.name, type: key.type, keys: exportKey(key, d.type, d.version) } };
        },
      },
      synopsis: 'Export named encryption or signing key material.',
    }),
    path({
      pattern: 'backup/:name',
      fields: { name: { type: 'string', required: true } },
      operations: {
        async read(_req, d) {
          const backup = await deps.store.update(d.name, async (key) => {
            if (!key) throw new InvalidRequest('key not found');
            if (!key.exportable) throw new InvalidRequest('exporting is disallowed on the policy');
            if (!key.allowPlaintextBackup) throw new InvalidRequest('plaintext backup is disallowed on the policy');
            key.backupInfo = { time: deps.now().toISOString(), version: key.latestVersion };
            return { key, result: encodeBackup(key) };
          });
          return { data: { backup } };
        },
      },
      synopsis: 'Back up the named key (plaintext; requires exportable and allow_plaintext_backup).',
    }),
    path({
      pattern: 'restore/:name?',
      fields: {
        name: { type: 'string' },
        backup: { type: 'string', required: true },
        force: { type: 'bool', default: false },
      },
      operations: {
        async update(_req, d) {
          const restored = decodeBackup(d.backup);
          const name = d.name ?? restored.name;
          if (name === '' || name.includes('/')) throw new InvalidRequest('invalid key name');
          restored.name = name;
          restored.restoreInfo = { time: deps.now().toISOString(), version: restored.latestVersion };
          await deps.store.update(name, async (existing) => {
            if (existing && !d.force) throw new InvalidRequest('key already exists; use force=true to overwrite');
            return { key: restored, result: undefined };
          });
        },
      },
      synopsis: 'Restore a named key from a backup.',
    }),
  ];
}
