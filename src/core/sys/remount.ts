/**
 * sys/remount: move a secrets engine (`from: a`, `to: b`) or an auth method
 * (`from: auth/a`, `to: auth/b`), keeping its data. Vault queues the move and reports a
 * migration id; Arca moves synchronously and records the finished migration so
 * `sys/remount/status/<id>` (which the Vault CLI polls) answers `success` at once.
 */
import { randomUUID } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { MountTable } from '../mounts/entry.js';
import type { SysContext } from './context.js';
import { PROTECTED_MOUNT_PREFIXES, mountPath } from './mount-settings.js';

/** How many finished migrations stay queryable (Vault keeps them in memory too). */
const MIGRATIONS_KEPT = 256;

interface MigrationInfo {
  source_mount: string;
  target_mount: string;
  status: 'success';
}

function splitTarget(raw: string, name: 'from' | 'to'): { table: MountTable; path: string; full: string } {
  if (raw.trim() !== raw) throw new InvalidRequest(`'${name}' path cannot contain trailing whitespace`);
  const full = mountPath(raw);
  if (full.startsWith('auth/')) {
    const rest = full.slice('auth/'.length);
    if (rest === '') throw new InvalidRequest(`invalid '${name}' mount path`);
    return { table: 'auth', path: rest, full };
  }
  return { table: 'mounts', path: full, full };
}

export function remountPaths(ctx: SysContext) {
  const migrations = new Map<string, MigrationInfo>();

  function remember(id: string, info: MigrationInfo): void {
    if (migrations.size >= MIGRATIONS_KEPT) migrations.delete(migrations.keys().next().value as string);
    migrations.set(id, info);
  }

  return {
    rootPaths: ['remount'],
    paths: [
      path({
        pattern: 'remount',
        synopsis: 'Move a mount to a new path, keeping its data.',
        fields: {
          from: { type: 'string', default: '' },
          to: { type: 'string', default: '' },
        },
        operations: {
          update: async (_req, data) => {
            if (data.from === '' || data.to === '') {
              throw new InvalidRequest("both 'from' and 'to' path must be specified as a string");
            }
            const from = splitTarget(data.from, 'from');
            const to = splitTarget(data.to, 'to');
            if (from.table === 'auth') {
              if (to.table !== 'auth') throw new InvalidRequest('cannot remount auth mount to non-auth mount');
              if (from.full.startsWith('auth/token/')) throw new InvalidRequest('cannot remount the token auth method');
              if (to.full.startsWith('auth/token/')) throw new InvalidRequest('cannot remount to the token auth method\'s path');
            } else {
              if (PROTECTED_MOUNT_PREFIXES.some((p) => from.full.startsWith(p))) throw new InvalidRequest('cannot remount a reserved mount');
              if (PROTECTED_MOUNT_PREFIXES.some((p) => to.full.startsWith(p))) throw new InvalidRequest('cannot remount to a reserved destination');
            }
            if (!ctx.mounts.find(from.table, from.path)) throw new InvalidRequest('no matching mount at the given \'from\' path');
            await ctx.mounts.remount(from.table, from.path, to.path);
            const migrationId = randomUUID();
            remember(migrationId, { source_mount: from.full, target_mount: to.full, status: 'success' });
            return { data: { migration_id: migrationId } };
          },
        },
      }),
      path({
        pattern: 'remount/status/:migration_id',
        synopsis: 'The status of a mount move started with sys/remount.',
        fields: { migration_id: { type: 'string', required: true } },
        operations: {
          read: async (_req, data) => {
            const info = migrations.get(data.migration_id);
            if (!info) return undefined;
            return { data: { migration_id: data.migration_id, migration_info: { ...info } } };
          },
        },
      }),
    ],
  };
}
