/**
 * `creds/:name`: a new database user under a lease. The `creds` secret type renews (renew
 * statements with the new `{{expiration}}`, within max_ttl) and revokes (revocation statements,
 * or the plugin's idempotent drop) — the expiration manager calls these, and retries failures.
 */
import { InvalidRequest } from '../../errors.js';
import type { SecretType } from '../../framework/backend.js';
import type { LogicalRequest, SecretLease } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { upstream } from './connection.js';
import { pluginFor, type EngineContext } from './deps.js';
import { formatExpiration, renderStatements } from './statements.js';
import { roleAllowed, type ConnectionConfig, type RoleEntry } from './store.js';
import { parseUsernameTemplate } from './username-template.js';

export const CREDS_SECRET = 'creds';

interface CredsInternal {
  username: string;
  db_name: string;
  role: string;
}

/** The role's TTL bounded by its max (0s fall back to the mount's values), seconds. */
function leaseTtl(ctx: EngineContext, role: RoleEntry, requested = 0): { ttl: number; maxTtl: number } {
  const maxTtl = role.max_ttl || ctx.system.maxLeaseTtl();
  const ttl = requested || role.default_ttl || ctx.system.defaultLeaseTtl();
  return { ttl: Math.min(ttl, maxTtl), maxTtl };
}

async function configFor(ctx: EngineContext, dbName: string): Promise<ConnectionConfig> {
  const config = await ctx.entries.getConfig(dbName);
  if (!config) throw new InvalidRequest('database configuration not found');
  return config;
}

function internalOf(lease: SecretLease): CredsInternal {
  const { username, db_name, role } = lease.internal;
  if (typeof username !== 'string' || typeof db_name !== 'string' || typeof role !== 'string') {
    throw new InvalidRequest('lease is missing its database user');
  }
  return { username, db_name, role };
}

export function credsPaths(ctx: EngineContext) {
  return [
    path({
      pattern: 'creds/:name',
      synopsis: 'Create a database user for the role, under a lease.',
      fields: { name: { type: 'string', required: true } },
      operations: {
        async read(req: LogicalRequest, data) {
          const role = await ctx.entries.getRole(data.name);
          if (!role) throw new InvalidRequest('unknown role');
          const config = await configFor(ctx, role.db_name);
          if (!roleAllowed(config, data.name)) throw new InvalidRequest('role is not allowed by the database configuration (allowed_roles)');
          const plugin = pluginFor(config);
          const { ttl, maxTtl } = leaseTtl(ctx, role);
          const expiration = formatExpiration(new Date(ctx.now() + ttl * 1000));
          const template = parseUsernameTemplate(config.username_template || plugin.defaultUsernameTemplate);
          const username = template.render({ DisplayName: req.caller?.displayName ?? '', RoleName: data.name });
          const password = await ctx.deps.generatePassword(config.password_policy || undefined);
          const conn = ctx.connection(role.db_name, config);
          const vars = { name: username, username, password, expiration };
          try {
            await conn.execute(renderStatements(role.creation_statements, vars));
          } catch (err) {
            if (role.rollback_statements.length > 0) await conn.execute(renderStatements(role.rollback_statements, vars)).catch(() => {});
            throw upstream('creating the database user failed', err);
          }
          return {
            data: { username, password },
            secret: {
              ttlSeconds: ttl,
              maxTtlSeconds: maxTtl,
              renewable: true,
              internal: { username, db_name: role.db_name, role: data.name } satisfies CredsInternal,
              type: CREDS_SECRET,
            },
          };
        },
      },
    }),
  ];
}

export function credsSecret(ctx: EngineContext): SecretType {
  return {
    async renew(_req, lease, incrementSeconds) {
      const internal = internalOf(lease);
      const role = await ctx.entries.getRole(internal.role);
      if (!role) throw new InvalidRequest('error during renew: could not find the role');
      const config = await configFor(ctx, internal.db_name);
      const { ttl, maxTtl } = leaseTtl(ctx, role, incrementSeconds);
      const statements = role.renew_statements.length > 0 ? role.renew_statements : pluginFor(config).defaultRenewStatements;
      if (statements.length > 0) {
        const expiration = formatExpiration(new Date(ctx.now() + ttl * 1000));
        await ctx.connection(internal.db_name, config)
          .execute(renderStatements(statements, { name: internal.username, username: internal.username, expiration }));
      }
      return { ...lease, ttlSeconds: ttl, maxTtlSeconds: maxTtl };
    },

    async revoke(_req, lease) {
      const internal = internalOf(lease);
      const config = await configFor(ctx, internal.db_name);
      const conn = ctx.connection(internal.db_name, config);
      // A deleted role still gets its users dropped, by the plugin's default.
      const role = await ctx.entries.getRole(internal.role);
      if (role && role.revocation_statements.length > 0) {
        await conn.execute(renderStatements(role.revocation_statements, { name: internal.username, username: internal.username }));
      } else {
        await pluginFor(config).revokeUser(conn, internal.username);
      }
    },
  };
}
