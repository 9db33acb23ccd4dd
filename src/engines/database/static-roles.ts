/**
 * Static roles (an existing database user whose password the engine owns): `static-roles/:name`
 * + LIST, `static-creds/:name` (current password, last rotation, time to the next) and
 * `rotate-role/:name`. Creating a role rotates its password at once, as Vault does.
 */
import { InvalidRequest } from '../../errors.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { parseCron } from './cron.js';
import type { EngineContext } from './deps.js';
import { nextRotationTime, type StaticRotation } from './rotation.js';
import { statementList } from './statements.js';
import { ENTRY_VERSION, roleAllowed, validName, type StaticRoleEntry } from './store.js';

const MIN_PERIOD = 5;
const MIN_WINDOW = 3600;

function rotationFields(e: StaticRoleEntry): Record<string, unknown> {
  return e.rotation_schedule
    ? { rotation_schedule: e.rotation_schedule, ...(e.rotation_window ? { rotation_window: e.rotation_window } : {}) }
    : { rotation_period: e.rotation_period };
}

export function staticRolePaths(ctx: EngineContext, rotation: StaticRotation) {
  const { entries } = ctx;
  const list = async () => ({ data: { keys: await entries.listStaticRoles() } });

  function render(e: StaticRoleEntry): LogicalResponse {
    return {
      data: {
        db_name: e.db_name,
        username: e.username,
        rotation_statements: e.rotation_statements,
        last_vault_rotation: new Date(e.last_vault_rotation).toISOString(),
        credential_type: 'password',
        ...rotationFields(e),
      },
    };
  }

  return [
    path({ pattern: 'static-roles/', synopsis: 'List the static roles.', operations: { list } }),
    path({
      pattern: 'static-roles/:name',
      synopsis: 'Manage a role whose database user exists already; the engine rotates its password.',
      fields: {
        name: { type: 'string', required: true },
        db_name: { type: 'string' },
        username: { type: 'string' },
        rotation_period: { type: 'duration' },
        rotation_schedule: { type: 'string' },
        rotation_window: { type: 'duration' },
        rotation_statements: { type: 'any' },
        credential_type: { type: 'string', oneOf: ['password'] },
      },
      existenceCheck: async (_req, data) => (await entries.getStaticRole(data.name)) !== undefined,
      operations: {
        async read(_req, data) {
          const entry = await entries.getStaticRole(data.name);
          return entry ? render(entry) : undefined;
        },
        async delete(_req, data) {
          await entries.deleteStaticRole(data.name);
          return undefined;
        },
        async update(_req, data) {
          validName(data.name, 'static role');
          if (await entries.getRole(data.name)) throw new InvalidRequest('Role and Static Role names must be unique');
          const old = await entries.getStaticRole(data.name);
          if (old && data.username !== undefined && data.username !== old.username) throw new InvalidRequest('cannot update static account username');
          if (old && data.db_name !== undefined && data.db_name !== old.db_name) throw new InvalidRequest('cannot update static role db_name');
          const username = old?.username ?? data.username ?? '';
          const dbName = old?.db_name ?? data.db_name ?? '';
          if (username === '') throw new InvalidRequest('username is a required field to create a static role');
          if (dbName === '') throw new InvalidRequest('db_name is a required field to create a static role');
          if (data.rotation_period !== undefined && data.rotation_schedule !== undefined) {
            throw new InvalidRequest('mutually exclusive fields rotation_period and rotation_schedule were both specified; only one of them can be provided');
          }
          let period = old?.rotation_period ?? 0;
          let schedule = old?.rotation_schedule ?? '';
          if (data.rotation_period !== undefined) { period = data.rotation_period; schedule = ''; }
          if (data.rotation_schedule !== undefined) { schedule = data.rotation_schedule.trim(); period = 0; }
          if (schedule) parseCron(schedule);
          else if (period === 0) throw new InvalidRequest('one of rotation_schedule or rotation_period must be provided to create a static account');
          else if (period < MIN_PERIOD) throw new InvalidRequest(`rotation_period must be ${MIN_PERIOD} seconds or more`);
          const window = data.rotation_window ?? (schedule ? old?.rotation_window ?? 0 : 0);
          if (window !== 0 && !schedule) throw new InvalidRequest('rotation_window is invalid with use of rotation_period');
          if (window !== 0 && window < MIN_WINDOW) throw new InvalidRequest(`rotation_window must be ${MIN_WINDOW} seconds or more`);
          const config = await entries.getConfig(dbName);
          if (!config) throw new InvalidRequest('database configuration not found');
          if (!roleAllowed(config, data.name)) throw new InvalidRequest('role is not allowed by the database configuration (allowed_roles)');
          const entry: StaticRoleEntry = {
            v: ENTRY_VERSION,
            db_name: dbName,
            username,
            rotation_period: period,
            rotation_schedule: schedule,
            rotation_window: window,
            rotation_statements: statementList(data.rotation_statements, 'rotation_statements') ?? old?.rotation_statements ?? [],
            password: old?.password ?? '',
            last_vault_rotation: old?.last_vault_rotation ?? 0,
          };
          if (old) await entries.putStaticRole(data.name, entry);
          else await rotation.rotate(data.name, entry);
          return undefined;
        },
      },
    }),
    path({
      pattern: 'static-creds/:name',
      synopsis: 'Read the current password of a static role.',
      fields: { name: { type: 'string', required: true } },
      operations: {
        async read(_req, data) {
          const e = await entries.getStaticRole(data.name);
          if (!e) throw new InvalidRequest('unknown role');
          const ttl = Math.max(0, Math.floor((nextRotationTime(e) - ctx.now()) / 1000));
          return {
            data: {
              username: e.username,
              password: e.password,
              last_vault_rotation: new Date(e.last_vault_rotation).toISOString(),
              ttl,
              ...rotationFields(e),
            },
          };
        },
      },
    }),
    path({
      pattern: 'rotate-role/:name',
      synopsis: 'Rotate the password of a static role now.',
      fields: { name: { type: 'string', required: true } },
      operations: {
        async update(_req, data) {
          await rotation.rotate(data.name);
          return undefined;
        },
      },
    }),
  ];
}
