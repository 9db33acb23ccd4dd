/** auth/token/renew, renew-self, renew-accessor, and the pure renewal rule. */
import { InvalidRequest } from '../../errors.js';
import { path, type PathDef } from '../../framework/path.js';
import type { LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import { isExpired, type TokenEntry } from '../../core/tokens/entry.js';
import { authBlock } from '../../core/tokens/auth-block.js';
import { calculateTtl } from '../../core/tokens/ttl.js';
import { callerEntry, ttlLimitsFor, type TokenBackendDeps } from './deps.js';
import type { RoleStore, TokenRole } from './role.js';

export interface RenewalContext {
  now: number;
  increment: number;
  limits: { defaultTtl: number; maxTtl: number };
  /** The token's role, when it was created against one (its period/explicit max apply). */
  role?: TokenRole;
}

/**
 * The renewed entry and the TTL granted. Never beyond explicit_max_ttl or the mount/system
 * max (counted from creation); periodic tokens reset to their period. Past the max → error,
 * never a TTL of 0 (which would mean "never expires").
 */
export function renewEntry(entry: TokenEntry, ctx: RenewalContext): { entry: TokenEntry; ttl: number; warnings: string[] } {
  if (entry.type === 'batch') throw new InvalidRequest('batch tokens cannot be renewed');
  if (entry.expireTime === 0 || !entry.renewable) throw new InvalidRequest('lease is not renewable');
  if (isExpired(entry, ctx.now)) throw new InvalidRequest('lease expired');
  const period = ctx.role ? ctx.role.tokenPeriod : entry.period;
  const explicitMaxTtl = ctx.role ? ctx.role.tokenExplicitMaxTtl : entry.explicitMaxTtl;
  const backendMax = typeof entry.internal?.maxTtl === 'number' ? entry.internal.maxTtl : 0;
  const { ttl, warnings } = calculateTtl({
    now: ctx.now,
    startTime: entry.creationTime,
    increment: ctx.increment,
    backendTtl: entry.leaseTtl ?? entry.ttl,
    period,
    backendMaxTtl: backendMax,
    // The token's own cap always holds, even if its role was loosened since.
    explicitMaxTtl: entry.explicitMaxTtl > 0 && (explicitMaxTtl === 0 || entry.explicitMaxTtl < explicitMaxTtl)
      ? entry.explicitMaxTtl : explicitMaxTtl,
    mountDefaultTtl: ctx.limits.defaultTtl,
    mountMaxTtl: ctx.limits.maxTtl,
  });
  const renewed: TokenEntry = { ...entry, expireTime: ctx.now + ttl, lastRenewalTime: ctx.now, leaseTtl: ttl };
  return { entry: renewed, ttl, warnings };
}

export function renewPaths(deps: TokenBackendDeps, roles: RoleStore): PathDef<any>[] {
  const { tokens } = deps;

  /** Tokens from a login: the auth method re-checks the identity (user gone, policies changed). */
  async function recheckLogin(req: LogicalRequest, entry: TokenEntry): Promise<void> {
    const renewAuth = entry.authMount ? deps.mounts?.byAccessor(entry.authMount)?.dispatcher.backend.renewAuth : undefined;
    if (!renewAuth) return;
    await renewAuth(req, { policies: entry.policies, displayName: entry.displayName, metadata: entry.meta, internal: entry.internal });
  }

  async function renew(entry: TokenEntry | undefined, clientToken: string, increment: number, req?: LogicalRequest): Promise<LogicalResponse> {
    if (!entry) throw new InvalidRequest('token not found');
    if (entry.type === 'batch') throw new InvalidRequest('batch tokens cannot be renewed');
    let role: TokenRole | undefined;
    if (entry.role) {
      role = await roles.get(entry.role);
      if (!role) throw new InvalidRequest("the token's role could not be found, not renewing");
    }
    if (req) await recheckLogin(req, entry);
    const result = renewEntry(entry, { now: tokens.now(), increment, limits: ttlLimitsFor(deps, entry), role });
    await tokens.update(result.entry);
    if (deps.leases) {
      // registerToken is idempotent in the expiration manager: re-registering moves the expiry.
      if (deps.leases.renewToken) await deps.leases.renewToken(result.entry);
      else await deps.leases.registerToken(result.entry);
    }
    return {
      mintedAuth: authBlock(clientToken, result.entry, result.ttl),
      warnings: result.warnings.length > 0 ? result.warnings : undefined,
    };
  }

  const incrementField = { increment: { type: 'duration', default: 0, description: 'Requested TTL extension' } } as const;
  return [
    path({
      pattern: 'renew',
      fields: { token: { type: 'string' }, ...incrementField } as const,
      operations: {
        update: async (req, d) => {
          if (!d.token) throw new InvalidRequest('missing token ID');
          const entry = d.token === req.clientToken ? await callerEntry(deps, req) : await tokens.lookup(d.token);
          return renew(entry, d.token, d.increment, req);
        },
      },
      synopsis: 'Renew a token',
    }),
    path({
      pattern: 'renew-self',
      fields: { token: { type: 'string', description: 'Ignored; the caller is renewed' }, ...incrementField } as const,
      operations: {
        update: async (req, d) => renew(await callerEntry(deps, req), req.clientToken, d.increment, req),
      },
      synopsis: "Renew the caller's token",
    }),
    path({
      pattern: 'renew-accessor',
      fields: { accessor: { type: 'string' }, ...incrementField } as const,
      operations: {
        update: async (req, d) => {
          if (!d.accessor) throw new InvalidRequest('missing accessor');
          const entry = await tokens.lookupByAccessor(d.accessor);
          if (!entry) throw new InvalidRequest('invalid accessor');
          return renew(entry, '', d.increment, req);
        },
      },
      synopsis: 'Renew a token by its accessor',
    }),
  ];
}
