/**
 * sys/leases/*: look up, list, renew and revoke leases, plus Vault's legacy aliases
 * sys/renew, sys/revoke, sys/revoke-prefix and sys/revoke-force (node-vault uses one).
 */
import { ArcaError, InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { LogicalResponse } from '../../framework/logical.js';
import type { ExpirationManager } from '../expiration/manager.js';
import type { SysContext } from './context.js';

const ACCEPTED = 202;

function formatTime(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

export function leasePaths(ctx: SysContext) {
  const expiration = (): ExpirationManager => {
    if (!ctx.expiration) throw new ArcaError('lease management is not available');
    return ctx.expiration;
  };

  const leaseIdOf = (data: { lease_id?: string; url_lease_id?: string }): string => {
    const id = data.lease_id || data.url_lease_id || '';
    if (id === '') throw new InvalidRequest('lease_id must be specified');
    return id;
  };

  const renewFields = {
    lease_id: { type: 'string', description: 'The lease to renew (wins over the URL).' },
    url_lease_id: { type: 'string', description: 'The lease to renew, from the URL.' },
    increment: { type: 'duration', default: 0, description: 'Requested extension from now.' },
  } as const;

  const revokeFields = {
    lease_id: { type: 'string', description: 'The lease to revoke (wins over the URL).' },
    url_lease_id: { type: 'string', description: 'The lease to revoke, from the URL.' },
    sync: { type: 'bool', default: true, description: 'Revoke before replying (false: queue it and answer 202).' },
  } as const;

  const prefixFields = {
    prefix: { type: 'string', default: '', description: 'Lease id prefix.' },
    sync: { type: 'bool', default: true, description: 'Revoke before replying (false: queue and answer 202).' },
  } as const;

  const renew = path({
    pattern: 'leases/renew',
    fields: renewFields,
    synopsis: 'Renew a lease.',
    operations: {
      update: async (_req, data): Promise<LogicalResponse> => {
        const result = await expiration().renew(leaseIdOf(data), data.increment);
        return {
          data: null,
          leaseId: result.leaseId,
          // advisory: the lease already exists; core must not register another.
          secret: { ttlSeconds: result.ttl, renewable: result.renewable, internal: {}, type: '', advisory: true },
          warnings: result.warnings.length > 0 ? result.warnings : undefined,
        };
      },
    },
  });

  const revoke = path({
    pattern: 'leases/revoke',
    fields: revokeFields,
    synopsis: 'Revoke a lease.',
    operations: {
      update: async (_req, data): Promise<LogicalResponse | void> => {
        const id = leaseIdOf(data);
        if (!data.sync) {
          await expiration().revoke(id, { sync: false });
          return { statusCode: ACCEPTED };
        }
        await expiration().revoke(id, { sync: true });
      },
    },
  });

  const revokePrefix = (force: boolean) => path({
    pattern: force ? 'leases/revoke-force/:prefix*' : 'leases/revoke-prefix/:prefix*',
    fields: prefixFields,
    synopsis: force
      ? 'Delete every lease under a prefix, ignoring backend errors (emergency use).'
      : 'Revoke every lease under a prefix.',
    operations: {
      update: async (_req, data): Promise<LogicalResponse | void> => {
        const sync = force || data.sync;
        await expiration().revokePrefix(data.prefix, { force, sync });
        if (!sync) return { statusCode: ACCEPTED };
      },
    },
  });

  const canonical: PathDef<any>[] = [
    path({
      pattern: 'leases/lookup',
      fields: { lease_id: { type: 'string', description: 'The lease to look up.' } } as const,
      synopsis: 'Lease metadata.',
      operations: {
        update: async (_req, data) => {
          const id = data.lease_id ?? '';
          if (id === '') throw new InvalidRequest('lease_id must be specified');
          const info = await expiration().lookup(id);
          if (!info) throw new InvalidRequest('invalid lease');
          const out: Record<string, unknown> = {
            id: info.id,
            issue_time: formatTime(info.issueTime),
            expire_time: formatTime(info.expireTime),
            last_renewal: formatTime(info.lastRenewal),
            renewable: info.renewable,
            ttl: info.ttl,
            path: info.path,
          };
          if (info.revokeError) out.revoke_error = info.revokeError;
          return { data: out };
        },
      },
    }),
    path({
      pattern: 'leases/lookup/',
      synopsis: 'List top-level lease prefixes.',
      operations: { list: async () => ({ data: { keys: await expiration().list('') } }) },
    }),
    path({
      pattern: 'leases/lookup/:prefix*',
      fields: { prefix: { type: 'string', default: '' } } as const,
      synopsis: 'List lease ids under a prefix.',
      operations: { list: async (_req, data) => ({ data: { keys: await expiration().list(data.prefix) } }) },
    }),
    renew,
    { ...renew, pattern: 'leases/renew/:url_lease_id*' },
    revoke,
    { ...revoke, pattern: 'leases/revoke/:url_lease_id*' },
    revokePrefix(false),
    revokePrefix(true),
    path({
      pattern: 'leases/tidy',
      synopsis: 'Clean up dangling lease state in the background.',
      operations: {
        update: async (): Promise<LogicalResponse> => {
          const manager = expiration();
          void manager.tidy().catch(() => { /* logged by the manager's own paths; tidy is best effort */ });
          return {
            statusCode: ACCEPTED,
            warnings: ['Tidy operation successfully started. Any information from the operation will be printed to the server logs.'],
          };
        },
      },
    }),
  ];

  // Vault's legacy forms: the same handlers without the `leases/` segment.
  const legacy = canonical
    .filter((p) => /^leases\/(renew|revoke|revoke-prefix|revoke-force)(\/|$)/.test(p.pattern))
    .map((p) => ({ ...p, pattern: p.pattern.slice('leases/'.length) }));

  return {
    paths: [...canonical, ...legacy],
    rootPaths: [
      'leases/lookup/*',
      'leases/revoke-prefix/*',
      'leases/revoke-force/*',
      'revoke-prefix/*',
      'revoke-force/*',
    ],
  };
}
