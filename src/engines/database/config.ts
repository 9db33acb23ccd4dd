/**
 * Connections: `config/:name` (write/read/delete, LIST `config/`), `reset/:name` (drop and
 * reopen the pool) and `rotate-root/:name` (the engine sets a password only it knows).
 * The root password is never returned.
 */
import { InvalidRequest } from '../../errors.js';
import type { LogicalResponse } from '../../framework/logical.js';
import { path } from '../../framework/path.js';
import { openConnection, pluginFor, type EngineContext } from './deps.js';
import { PLUGIN_NAMES } from './plugins.js';
import { renderStatements, statementList } from './statements.js';
import { ENTRY_VERSION, validName, type ConnectionConfig } from './store.js';
import { parseUsernameTemplate } from './username-template.js';

const NAME = { name: { type: 'string', required: true, description: 'Name of the connection.' } } as const;

function render(c: ConnectionConfig): LogicalResponse {
  const connection_details: Record<string, unknown> = {
    connection_url: c.connection_url,
    username: c.username,
    max_open_connections: c.max_open_connections,
    max_idle_connections: c.max_idle_connections,
    max_connection_lifetime: `${c.max_connection_lifetime}s`,
  };
  if (c.username_template) connection_details.username_template = c.username_template;
  return {
    data: {
      plugin_name: c.plugin_name,
      plugin_version: '',
      connection_details,
      allowed_roles: c.allowed_roles,
      root_credentials_rotate_statements: c.root_rotation_statements,
      password_policy: c.password_policy,
      verify_connection: c.verify_connection,
    },
  };
}

export function configPaths(ctx: EngineContext) {
  const { entries } = ctx;

  async function mustGet(name: string): Promise<ConnectionConfig> {
    const config = await entries.getConfig(name);
    if (!config) throw new InvalidRequest('database configuration not found');
    return config;
  }

  const list = async () => ({ data: { keys: await entries.listConfigs() } });

  return [
    path({ pattern: 'config/', synopsis: 'List the configured connections.', operations: { list } }),
    path({
      pattern: 'config/:name',
      synopsis: 'Configure a connection to a database.',
      fields: {
        ...NAME,
        plugin_name: { type: 'string', description: 'postgresql-database-plugin, mysql-database-plugin or mysql-legacy-database-plugin.' },
        plugin_version: { type: 'string' },
        connection_url: { type: 'string', description: 'Connection string; may hold {{username}} and {{password}}.' },
        username: { type: 'string' },
        password: { type: 'string' },
        allowed_roles: { type: 'commaStringList', description: 'Roles allowed to use this connection ("*" for all).' },
        verify_connection: { type: 'bool', description: 'Connect once before saving (default true).' },
        max_open_connections: { type: 'int' },
        max_idle_connections: { type: 'int' },
        max_connection_lifetime: { type: 'duration' },
        password_policy: { type: 'string' },
        username_template: { type: 'string' },
        root_rotation_statements: { type: 'any' },
        disable_escaping: { type: 'bool' },
      },
      existenceCheck: async (_req, data) => (await entries.getConfig(data.name)) !== undefined,
      operations: {
        async read(_req, data) {
          const config = await entries.getConfig(data.name);
          return config ? render(config) : undefined;
        },
        async delete(_req, data) {
          await ctx.closeConnection(data.name);
          await entries.deleteConfig(data.name);
          return undefined;
        },
        async update(_req, data) {
          validName(data.name, 'connection');
          if (data.disable_escaping) throw new InvalidRequest('disable_escaping is not supported');
          const old = await entries.getConfig(data.name);
          const pluginName = data.plugin_name ?? old?.plugin_name;
          if (!pluginName) throw new InvalidRequest('plugin_name must be set');
          if (!PLUGIN_NAMES.includes(pluginName)) throw new InvalidRequest(`unsupported plugin_name (supported: ${PLUGIN_NAMES.join(', ')})`);
          const connectionUrl = data.connection_url ?? old?.connection_url;
          if (!connectionUrl) throw new InvalidRequest('connection_url must be set');
          const config: ConnectionConfig = {
            v: ENTRY_VERSION,
            plugin_name: pluginName,
            connection_url: connectionUrl,
            username: data.username ?? old?.username ?? '',
            password: data.password ?? old?.password ?? '',
            allowed_roles: data.allowed_roles ?? old?.allowed_roles ?? [],
            verify_connection: data.verify_connection ?? true,
            max_open_connections: data.max_open_connections ?? old?.max_open_connections ?? 4,
            max_idle_connections: data.max_idle_connections ?? old?.max_idle_connections ?? 0,
            max_connection_lifetime: data.max_connection_lifetime ?? old?.max_connection_lifetime ?? 0,
            password_policy: data.password_policy ?? old?.password_policy ?? '',
            username_template: data.username_template ?? old?.username_template ?? '',
            root_rotation_statements: statementList(data.root_rotation_statements, 'root_rotation_statements') ?? old?.root_rotation_statements ?? [],
          };
          if (config.max_open_connections < 1) throw new InvalidRequest('max_open_connections must be at least 1');
          if (config.username_template) parseUsernameTemplate(config.username_template);
          if (config.password_policy) await ctx.deps.generatePassword(config.password_policy);
          pluginFor(config);
          if (config.verify_connection) {
            const probe = openConnection(config, ctx.deps.connectTimeoutMs ?? 10_000);
            try {
              await probe.verify();
            } catch (err) {
              throw new InvalidRequest(`error creating database object: ${(err as Error).message}`);
            } finally {
              await probe.close();
            }
          }
          await entries.putConfig(data.name, config);
          await ctx.closeConnection(data.name);
          return undefined;
        },
      },
    }),
    path({
      pattern: 'reset/:name',
      synopsis: 'Close the connection pool and reopen it from the stored configuration.',
      fields: NAME,
      operations: {
        async update(_req, data) {
          const config = await mustGet(data.name);
          await ctx.closeConnection(data.name);
          await ctx.connection(data.name, config).verify();
          return undefined;
        },
      },
    }),
    path({
      pattern: 'rotate-root/:name',
      synopsis: 'Rotate the root credentials so that only this engine knows them.',
      fields: NAME,
      operations: {
        async update(_req, data) {
          const config = await mustGet(data.name);
          if (!config.username) throw new InvalidRequest('unable to rotate root credentials: no username in configuration');
          if (!config.password) throw new InvalidRequest('unable to rotate root credentials: no password in configuration');
          const plugin = pluginFor(config);
          const password = await ctx.deps.generatePassword(config.password_policy || undefined);
          const statements = config.root_rotation_statements.length > 0 ? config.root_rotation_statements : plugin.defaultRootRotationStatements;
          await ctx.connection(data.name, config).execute(renderStatements(statements, { name: config.username, username: config.username, password }));
          await entries.putConfig(data.name, { ...config, password });
          await ctx.closeConnection(data.name);
          return undefined;
        },
      },
    }),
  ];
}
