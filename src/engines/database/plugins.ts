/**
 * The database plugins this build carries, one entry each with every fact the engine needs:
 * driver, default username template, and the default statements for renew, root rotation and
 * static-role rotation. Revocation without statements uses a built-in, idempotent drop.
 */
import type { ConnectionSettings, DbConnection } from './connection.js';
import { openMysql, revokeMysqlUser } from './mysql.js';
import { openPostgres, revokePostgresUser } from './postgres.js';

export interface DatabasePlugin {
  name: string;
  open(settings: ConnectionSettings): DbConnection;
  defaultUsernameTemplate: string;
  /** Run on renew when the role has no renew_statements (empty: nothing to do). */
  defaultRenewStatements: string[];
  defaultRootRotationStatements: string[];
  defaultStaticRotationStatements: string[];
  /** Used when the role has no revocation_statements. */
  revokeUser(conn: DbConnection, username: string): Promise<void>;
}

const mysqlCommon = {
  open: openMysql,
  defaultRenewStatements: [],
  defaultRootRotationStatements: ["ALTER USER '{{username}}'@'%' IDENTIFIED BY '{{password}}'"],
  defaultStaticRotationStatements: ["ALTER USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'"],
  revokeUser: revokeMysqlUser,
};

export const PLUGINS: Record<string, DatabasePlugin> = {
  'postgresql-database-plugin': {
    name: 'postgresql-database-plugin',
    open: openPostgres,
    defaultUsernameTemplate: '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) (random 20) (unix_time) | truncate 63 }}',
    defaultRenewStatements: [`ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}'`],
    defaultRootRotationStatements: [`ALTER ROLE "{{username}}" WITH PASSWORD '{{password}}'`],
    defaultStaticRotationStatements: [`ALTER ROLE "{{name}}" WITH PASSWORD '{{password}}'`],
    revokeUser: revokePostgresUser,
  },
  'mysql-database-plugin': {
    name: 'mysql-database-plugin',
    ...mysqlCommon,
    defaultUsernameTemplate: '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 10) (.RoleName | truncate 10) (random 20) (unix_time) | truncate 32 }}',
  },
  // MySQL before 5.7 (16-character user names).
  'mysql-legacy-database-plugin': {
    name: 'mysql-legacy-database-plugin',
    ...mysqlCommon,
    defaultUsernameTemplate: '{{ printf "v-%s-%s-%s" (.RoleName | truncate 4) (random 20) | truncate 16 }}',
    defaultRootRotationStatements: ["SET PASSWORD FOR '{{username}}'@'%' = PASSWORD('{{password}}')"],
    defaultStaticRotationStatements: ["SET PASSWORD FOR '{{name}}'@'%' = PASSWORD('{{password}}')"],
  },
};

export const PLUGIN_NAMES = Object.keys(PLUGINS);
