/**
 * The database engine against the machine's MariaDB (mysql-database-plugin): leased users that
 * log in with their password and query, are dropped on revoke and on expiry; root rotation
 * leaves the old root password refused; static roles and rotate-role; the legacy plugin.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { requireSystem } from './support/requires.js';
import { mariadbReachable } from './support/databases.js';
import { startDevServer, type DevServer } from './support/server.js';
import { waitFor } from './database-support.js';

const reachable = await mariadbReachable();
const skip = requireSystem('database engine (MariaDB)', { install: 'a running MariaDB on 127.0.0.1:3306', present: () => reachable });

const suffix = randomBytes(4).toString('hex');
const ADMIN = `arca_admin_${suffix}`;
const ADMIN_PASSWORD = `initial-${suffix}`;
const STATIC_USER = `arca_st_${suffix}`;
const CREATION = "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON test.* TO '{{name}}'@'%';";

function login(user: string, password: string): Promise<mysql.Connection> {
  return mysql.createConnection({ host: '127.0.0.1', port: 3306, user, password, database: 'test' });
}

async function canLogin(user: string, password: string): Promise<boolean> {
  try {
    const c = await login(user, password);
    await c.query('SELECT 1');
    await c.end();
    return true;
  } catch (err) {
    if (['ER_ACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR'].includes(String((err as { code?: string }).code))) return false;
    throw err;
  }
}

describe('database engine: MariaDB', { skip }, () => {
  let admin: mysql.Connection;
  let dev: DevServer;
  const created = new Set<string>([ADMIN, STATIC_USER]);

  async function userExists(name: string): Promise<boolean> {
    const [rows] = await admin.query('SELECT 1 FROM mysql.user WHERE User = ?', [name]);
    return (rows as unknown[]).length > 0;
  }

  async function creds(role: string): Promise<{ username: string; password: string; leaseId: string; leaseDuration: number }> {
    const res = await dev.api.call('GET', `database/creds/${role}`);
    assert.equal(res.status, 200, res.text);
    created.add(res.json.data.username);
    return { ...res.json.data, leaseId: res.json.lease_id, leaseDuration: res.json.lease_duration };
  }

  before(async () => {
    admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' });
    await admin.query(`CREATE USER '${ADMIN}'@'%' IDENTIFIED BY '${ADMIN_PASSWORD}'`);
    await admin.query(`GRANT ALL PRIVILEGES ON *.* TO '${ADMIN}'@'%' WITH GRANT OPTION`);
    await admin.query(`CREATE USER '${STATIC_USER}'@'%' IDENTIFIED BY 'static-initial'`);
    await admin.query(`GRANT SELECT ON test.* TO '${STATIC_USER}'@'%'`);
    dev = await startDevServer();
    assert.equal((await dev.api.call('POST', 'sys/mounts/database', { type: 'database' })).status, 204);
    const config = await dev.api.call('POST', 'database/config/maria', {
      plugin_name: 'mysql-database-plugin',
      connection_url: '{{username}}:{{password}}@tcp(127.0.0.1:3306)/test',
      username: ADMIN,
      password: ADMIN_PASSWORD,
      allowed_roles: ['app', 'short', 'static-app'],
      max_open_connections: 2,
    });
    assert.equal(config.status, 204, config.text);
    assert.equal((await dev.api.call('POST', 'database/roles/app', { db_name: 'maria', creation_statements: CREATION, default_ttl: '10m', max_ttl: '1h' })).status, 204);
  });

  after(async () => {
    await dev?.close();
    if (admin) {
      for (const name of created) {
        const [rows] = await admin.query('SELECT Host AS host FROM mysql.user WHERE User = ?', [name]);
        for (const row of rows as { host: string }[]) await admin.query('DROP USER IF EXISTS ?@?', [name, row.host]).catch(() => {});
      }
      await admin.end();
    }
  });

  test('creds log in with their password and query; revoke drops the user and kills its sessions', async () => {
    const c = await creds('app');
    assert.ok(c.username.length <= 32);
    assert.match(c.username, /^v-root-app-[A-Za-z0-9]{20}-/);
    assert.equal(c.leaseDuration, 600);
    assert.equal(await canLogin(c.username, `${c.password}x`), false, 'a wrong password is refused');
    const session = await login(c.username, c.password);
    const [rows] = await session.query('SELECT CURRENT_USER() AS u');
    assert.equal((rows as { u: string }[])[0].u, `${c.username}@%`);
    session.on('error', () => {});

    assert.equal((await dev.api.call('POST', 'sys/leases/revoke', { lease_id: c.leaseId })).status, 204);
    assert.equal(await userExists(c.username), false);
    await assert.rejects(session.query('SELECT 1'), 'the open session was killed');
    assert.equal(await canLogin(c.username, c.password), false);
    session.destroy();
  });

  test('renew extends the lease within max_ttl (MySQL has no expiry statement by default)', async () => {
    const c = await creds('app');
    const renew = await dev.api.call('POST', 'sys/leases/renew', { lease_id: c.leaseId, increment: 7200 });
    assert.equal(renew.status, 200, renew.text);
    assert.ok(renew.json.lease_duration <= 3600 && renew.json.lease_duration > 3500);
    assert.equal(await canLogin(c.username, c.password), true);
    assert.equal((await dev.api.call('POST', 'sys/leases/revoke', { lease_id: c.leaseId })).status, 204);
    assert.equal(await canLogin(c.username, c.password), false);
  });

  test('custom revocation_statements run instead of the default', async () => {
    const res = await dev.api.call('POST', 'database/roles/short', {
      db_name: 'maria', creation_statements: CREATION, revocation_statements: ["DROP USER '{{name}}'@'%'"], default_ttl: 1, max_ttl: 60,
    });
    assert.equal(res.status, 204, res.text);
    const c = await creds('short');
    assert.equal(await canLogin(c.username, c.password), true);
    await waitFor('the expired user to be dropped', async () => !(await userExists(c.username)));
    assert.equal(await canLogin(c.username, c.password), false);
  });

  test('static roles: the password is set at creation and on rotate-role; the old one is refused', async () => {
    assert.equal((await dev.api.call('POST', 'database/static-roles/static-app', { db_name: 'maria', username: STATIC_USER, rotation_period: 86400 })).status, 204);
    assert.equal(await canLogin(STATIC_USER, 'static-initial'), false);
    const first = (await dev.api.call('GET', 'database/static-creds/static-app')).json.data;
    assert.equal(await canLogin(STATIC_USER, first.password), true);
    assert.equal((await dev.api.call('POST', 'database/rotate-role/static-app')).status, 204);
    const second = (await dev.api.call('GET', 'database/static-creds/static-app')).json.data;
    assert.notEqual(second.password, first.password);
    assert.ok(Date.parse(second.last_vault_rotation) >= Date.parse(first.last_vault_rotation));
    assert.equal(await canLogin(STATIC_USER, first.password), false);
    assert.equal(await canLogin(STATIC_USER, second.password), true);
  });

  test('rotate-root: the old root password is refused and the engine keeps working', async () => {
    assert.equal(await canLogin(ADMIN, ADMIN_PASSWORD), true);
    const res = await dev.api.call('POST', 'database/rotate-root/maria');
    assert.equal(res.status, 204, res.text);
    assert.equal(await canLogin(ADMIN, ADMIN_PASSWORD), false);
    const c = await creds('app');
    assert.equal(await canLogin(c.username, c.password), true);
    assert.equal((await dev.api.call('POST', 'sys/leases/revoke', { lease_id: c.leaseId })).status, 204);
    assert.equal(await userExists(c.username), false);
  });

  test('the legacy plugin keeps user names to 16 characters', async () => {
    const config = await dev.api.call('POST', 'database/config/legacy', {
      plugin_name: 'mysql-legacy-database-plugin',
      connection_url: `root:@tcp(127.0.0.1:3306)/test`,
      allowed_roles: 'legacy',
    });
    assert.equal(config.status, 204, config.text);
    assert.equal((await dev.api.call('POST', 'database/roles/legacy', { db_name: 'legacy', creation_statements: CREATION })).status, 204);
    const c = await creds('legacy');
    assert.equal(c.username.length, 16);
    assert.equal(await canLogin(c.username, c.password), true);
    assert.equal((await dev.api.call('POST', 'sys/leases/revoke', { lease_id: c.leaseId })).status, 204);
    assert.equal(await canLogin(c.username, c.password), false);
  });
});
