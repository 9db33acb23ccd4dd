/** Dynamic roles: `roles/:name` (write/read/delete) and LIST `roles/`. */
import { InvalidRequest } from '../../errors.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import type { EngineContext } from './deps.js';
import { statementList } from './statements.js';
import { ENTRY_VERSION, validName, type RoleEntry } from './store.js';

function render(r: RoleEntry): LogicalResponse {
  return {
    data: {
      db_name: r.db_name,
      default_ttl: r.default_ttl,
      max_ttl: r.max_ttl,
      creation_statements: r.creation_statements,
      revocation_statements: r.revocation_statements,
      rollback_statements: r.rollback_statements,
      renew_statements: r.renew_statements,
      credential_type: 'password',
      credential_config: {},
    },
  };
}

export function rolePaths(ctx: EngineContext) {
  const { entries } = ctx;
  const list = async () => ({ data: { keys: await entries.listRoles() } });
  return [
    path({ pattern: 'roles/', synopsis: 'List the dynamic roles.', operations: { list } }),
    path({
      pattern: 'roles/:name',
      synopsis: 'Manage a role that creates a database user per lease.',
      fields: {
        name: { type: 'string', required: true },
        db_name: { type: 'string', description: 'Name of the connection (config/:name) to use.' },
        default_ttl: { type: 'duration' },
        max_ttl: { type: 'duration' },
        creation_statements: { type: 'any', description: 'Statements that create the user ({{name}}, {{password}}, {{expiration}}).' },
        revocation_statements: { type: 'any' },
        rollback_statements: { type: 'any' },
        renew_statements: { type: 'any' },
        credential_type: { type: 'string', oneOf: ['password'] },
      },
      existenceCheck: async (_req, data) => (await entries.getRole(data.name)) !== undefined,
      operations: {
        async read(_req, data) {
          const role = await entries.getRole(data.name);
          return role ? render(role) : undefined;
        },
        async delete(_req, data) {
          await entries.deleteRole(data.name);
          return undefined;
        },
        async update(_req, data) {
          validName(data.name, 'role');
          if (await entries.getStaticRole(data.name)) throw new InvalidRequest('Role and Static Role names must be unique');
          const old = await entries.getRole(data.name);
          const role: RoleEntry = {
            v: ENTRY_VERSION,
            db_name: data.db_name ?? old?.db_name ?? '',
            default_ttl: data.default_ttl ?? old?.default_ttl ?? 0,
            max_ttl: data.max_ttl ?? old?.max_ttl ?? 0,
            creation_statements: statementList(data.creation_statements, 'creation_statements') ?? old?.creation_statements ?? [],
            revocation_statements: statementList(data.revocation_statements, 'revocation_statements') ?? old?.revocation_statements ?? [],
            rollback_statements: statementList(data.rollback_statements, 'rollback_statements') ?? old?.rollback_statements ?? [],
            renew_statements: statementList(data.renew_statements, 'renew_statements') ?? old?.renew_statements ?? [],
          };
          if (role.db_name === '') throw new InvalidRequest('empty database name attribute');
          if (role.creation_statements.length === 0) throw new InvalidRequest('creation_statements are required');
          if (role.max_ttl > 0 && role.default_ttl > role.max_ttl) throw new InvalidRequest('ttl cannot be greater than max_ttl');
          await entries.putRole(data.name, role);
          return undefined;
        },
      },
    }),
  ];
}
