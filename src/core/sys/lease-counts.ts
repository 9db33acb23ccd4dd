/**
 * GET sys/leases/count and GET sys/leases (sudo) with `type=irrevocable`: the leases whose last
 * revocation failed, counted per mount accessor or listed (lease_id, mount_id, error), soonest
 * expiry first. Vault stops retrying such leases; Arca keeps retrying them with backoff, so a
 * lease leaves these lists once a retry succeeds or it is force-revoked.
 */
import { ArcaError, InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { ExpirationManager } from '../expiration/manager.js';
import type { SysContext } from './context.js';

export const DEFAULT_IRREVOCABLE_LIMIT = 10_000;

const TYPE_FIELD = {
  type: { type: 'string', description: 'The kind of lease; only "irrevocable" is supported.' },
  include_child_namespaces: { type: 'bool', default: false, description: 'Accepted for compatibility (Arca has one namespace).' },
} as const;

function checkType(type: string | undefined): void {
  if ((type ?? '').toLowerCase() !== 'irrevocable') throw new InvalidRequest('type must be "irrevocable"');
}

/** `limit`: empty → the default, `none` → everything, else a positive integer. */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_IRREVOCABLE_LIMIT;
  if (raw.toLowerCase() === 'none') return Infinity;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new InvalidRequest(`invalid 'limit' provided: "${raw}"; use a positive integer or "none"`);
  return Number(raw);
}

export function leaseCountPaths(ctx: SysContext) {
  const expiration = (): Pick<ExpirationManager, 'failedRevocations'> => {
    if (!ctx.expiration) throw new ArcaError('lease management is not available');
    return ctx.expiration;
  };
  return {
    rootPaths: ['leases'],
    paths: [
      path({
        pattern: 'leases/count',
        fields: TYPE_FIELD,
        synopsis: 'Count the irrevocable leases, in total and per mount.',
        operations: {
          read: async (_req, data) => {
            checkType(data.type);
            const counts: Record<string, number> = {};
            const failed = await expiration().failedRevocations();
            for (const entry of failed) counts[entry.mountAccessor] = (counts[entry.mountAccessor] ?? 0) + 1;
            return { data: { lease_count: failed.length, counts } };
          },
        },
      }),
      path({
        pattern: 'leases',
        fields: { ...TYPE_FIELD, limit: { type: 'string', default: '', description: `At most this many (default ${DEFAULT_IRREVOCABLE_LIMIT}); "none" for all.` } },
        synopsis: 'List the irrevocable leases.',
        operations: {
          read: async (_req, data) => {
            checkType(data.type);
            const limit = parseLimit(data.limit);
            const failed = (await expiration().failedRevocations())
              .sort((a, b) => a.expireTime - b.expireTime || (a.leaseId < b.leaseId ? -1 : a.leaseId > b.leaseId ? 1 : 0));
            const shown = failed.slice(0, limit);
            const leases = shown.map((e) => ({ lease_id: e.leaseId, mount_id: e.mountAccessor, error: e.revokeError ?? '' }));
            const warnings = shown.length < failed.length
              ? [`${failed.length - shown.length} of ${failed.length} irrevocable leases not shown; use limit=none to see them all`]
              : undefined;
            return { data: { lease_count: shown.length, leases }, ...(warnings ? { warnings } : {}) };
          },
        },
      }),
    ],
  };
}
