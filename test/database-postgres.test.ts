/**
 * The database engine against the machine's PostgreSQL: leased users that can log in and
 * query, are renewed within max_ttl and dropped on revoke and on expiry (also when the
 * database was unreachable at revocation time), root rotation, static roles, password policies.
 * The test server trusts loopback logins, so passwords are checked against pg_authid's SCRAM
 * verifiers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { requireSystem } from './support/requires.js';
import { POSTGRES_URL, postgresReachable } from './support/databases.js';
import { startDevServer, type DevServer } from './support/server.js';
import { scramMatches, startPausableProxy, waitFor } from './database-support.js';

const reachable = await postgresReachable();
const skip = requireSystem('database engine (PostgreSQL)', { install: 'a running PostgreSQL on 127.0.0.1:5432', present: () => reachable });

const suffix = randomBytes(4).toString('hex');
const ROOT = `arca_root_${suffix}`;
const ROOT_PASSWORD = `initial-${suffix}`;
const STATIC_USER = `arca_static_${suffix}`;
const CREATION = `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";`;

async function connectAs(user: string, password = 'ignored-by-trust'): Promise<pg.Client> {
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user, password });
  client.on('error', () => {});
  await client.connect();
  return client;
}

describe('database engine: PostgreSQL', { skip }, () => {
  let admin: pg.Client;
  let dev: DevServer;
  const created = new Set<string>([ROOT, STATIC_USER]);

  async function roleRow(name: string): Promise<{ rolpassword: string | null; rolvaliduntil: Date | null } | undefined> {
    const res = await admin.query('SELECT rolpassword, rolvaliduntil FROM pg_authid WHERE rolname = $1', [name]);
    return res.rows[0];
  }

  async function creds(role: string): Promise<{ username: string; password: string; leaseId: string; leaseDuration: number }> {
    const res = await dev.api.call('GET', `database/creds/${role}`);
    assert.equal(res.status, 200, res.text);
    created.add(res.json.data.username);
    return { ...res.json.data, leaseId: res.json.lease_id, leaseDuration: res.json.lease_duration };
  }

  before(async () => {
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE ROLE "${ROOT}" WITH SUPERUSER LOGIN PASSWORD '${ROOT_PASSWORD}'`);
    await admin.query(`CREATE ROLE "${STATIC_USER}" WITH LOGIN PASSWORD 'static-initial'`);
    await admin.query('CREATE TABLE IF NOT EXISTS arca_db_engine_probe (n int)');
    dev = await startDevServer();
    assert.equal((await dev.api.call('POST', 'sys/mounts/database', { type: 'database' })).status, 204);
    const config = await dev.api.call('POST', 'database/config/pg', {
      plugin_name: 'postgresql-database-plugin',
      connection_url: 'postgresql://{{username}}:{{password}}@127.0.0.1:5432/test?sslmode=disable',
      username: ROOT,
      password: ROOT_PASSWORD,
      allowed_roles: 'readonly,short,static-*',
    });
    assert.equal(config.status, 204, config.text);
    const role = await dev.api.call('POST', 'database/roles/readonly', { db_name: 'pg', creation_statements: CREATION, default_ttl: '1h', max_ttl: '2h' });
    assert.equal(role.status, 204, role.text);
  });

  after(async () => {
    await dev?.close();
    if (admin) {
      for (const name of created) {
        const quoted = `"${name.replace(/"/g, '""')}"`;
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [name]).catch(() => {});
        if ((await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount) {
          await admin.query(`DROP OWNED BY ${quoted}`).catch(() => {});
          await admin.query(`DROP ROLE IF EXISTS ${quoted}`).catch(() => {});
        }
      }
      await admin.end();
    }
  });

  test('config read never returns the password; LIST config/', async () => {
    const res = await dev.api.call('GET', 'database/config/pg');
    assert.equal(res.status, 200);
    assert.equal(res.json.data.plugin_name, 'postgresql-database-plugin');
    assert.equal(res.json.data.connection_details.username, ROOT);
    assert.equal(res.json.data.connection_details.max_open_connections, 4);
    assert.deepEqual(res.json.data.allowed_roles, ['readonly', 'short', 'static-*']);
    assert.equal(res.json.data.verify_connection, true);
    assert.ok(!res.text.includes(ROOT_PASSWORD));
    const list = await dev.api.call('LIST', 'database/config');
    assert.deepEqual(list.json.data.keys, ['pg']);
  });

  test('verify_connection rejects an unreachable database and stores nothing', async () => {
    const res = await dev.api.call('POST', 'database/config/down', {
      plugin_name: 'postgresql-database-plugin', connection_url: 'postgresql://x@127.0.0.1:1/test', allowed_roles: '*',
    });
    assert.equal(res.status, 400);
    assert.match(res.json.errors[0], /error creating database object/);
    assert.equal((await dev.api.call('GET', 'database/config/down')).status, 404);
  });

  test('roles: write, read, LIST; creation_statements are required', async () => {
    const read = await dev.api.call('GET', 'database/roles/readonly');
    assert.equal(read.status, 200);
    assert.deepEqual(read.json.data.creation_statements, [CREATION]);
    assert.equal(read.json.data.default_ttl, 3600);
    assert.equal(read.json.data.max_ttl, 7200);
    assert.deepEqual((await dev.api.call('LIST', 'database/roles')).json.data.keys, ['readonly']);
    const bad = await dev.api.call('POST', 'database/roles/empty', { db_name: 'pg' });
    assert.equal(bad.status, 400);
  });

  test('creds log in and query; revoke drops the role and ends its sessions', async () => {
    const c = await creds('readonly');
    assert.match(c.username, /^v-root-readonly-[A-Za-z0-9]{20}-\d+$/);
    assert.equal(c.leaseDuration, 3600);
    assert.ok(c.leaseId.startsWith('database/creds/readonly/'));
    const row = await roleRow(c.username);
    assert.ok(row?.rolpassword && scramMatches(row.rolpassword, c.password), 'the role has the issued password');
    assert.ok(!scramMatches(row.rolpassword!, `${c.password}x`));
    const expiresIn = row!.rolvaliduntil!.getTime() - Date.now();
    assert.ok(expiresIn > 3500_000 && expiresIn <= 3600_000, `VALID UNTIL ~1h ahead (${expiresIn})`);

    const session = await connectAs(c.username, c.password);
    assert.equal((await session.query('SELECT current_user AS u')).rows[0].u, c.username);
    await session.query('SELECT count(*) FROM arca_db_engine_probe');

    const revoke = await dev.api.call('POST', 'sys/leases/revoke', { lease_id: c.leaseId });
    assert.equal(revoke.status, 204, revoke.text);
    assert.equal(await roleRow(c.username), undefined);
    await assert.rejects(session.query('SELECT 1'), 'the open session was terminated');
    await assert.rejects(connectAs(c.username, c.password), (err: any) => err.code === '28000');
    assert.equal((await dev.api.call('POST', 'sys/leases/lookup', { lease_id: c.leaseId })).status, 400);
  });

  test('renew runs the renew statements and stays within max_ttl', async () => {
    const c = await creds('readonly');
    const renew = await dev.api.call('POST', 'sys/leases/renew', { lease_id: c.leaseId, increment: 5400 });
    assert.equal(renew.status, 200, renew.text);
    assert.equal(renew.json.lease_duration, 5400);
    const until = (await roleRow(c.username))!.rolvaliduntil!.getTime() - Date.now();
    assert.ok(until > 5300_000 && until <= 5400_000, `VALID UNTIL moved to ~90m (${until})`);
    const capped = await dev.api.call('POST', 'sys/leases/renew', { lease_id: c.leaseId, increment: 100_000 });
    assert.equal(capped.status, 200);
    assert.ok(capped.json.lease_duration <= 7200 && capped.json.lease_duration > 7100, String(capped.json.lease_duration));
    assert.equal((await dev.api.call('POST', 'sys/leases/revoke', { lease_id: c.leaseId })).status, 204);
    assert.equal(await roleRow(c.username), undefined);
  });

  test('an expired lease drops the role', async () => {
    assert.equal((await dev.api.call('POST', 'database/roles/short', { db_name: 'pg', creation_statements: CREATION, default_ttl: 1, max_ttl: 60 })).status, 204);
    const c = await creds('short');
    assert.equal(c.leaseDuration, 1);
    (await connectAs(c.username)).end();
    await waitFor('the expired role to be dropped', async () => (await roleRow(c.username)) === undefined);
    await assert.rejects(connectAs(c.username), (err: any) => err.code === '28000');
  });

  test('a role missing from allowed_roles gets no credentials', async () => {
    assert.equal((await dev.api.call('POST', 'database/roles/other', { db_name: 'pg', creation_statements: CREATION })).status, 204);
    const res = await dev.api.call('GET', 'database/creds/other');
    assert.equal(res.status, 400);
    assert.match(res.json.errors[0], /allowed_roles/);
    assert.equal((await dev.api.call('GET', 'database/creds/nope')).status, 400);
  });

  test('password policies: write, generate, and the connection uses them', async () => {
    const policy = 'length = 24\nrule "charset" {\n  charset = "abcdef"\n  min-chars = 2\n}\nrule "charset" {\n  charset = "0123456789"\n  min-chars = 4\n}';
    assert.equal((await dev.api.call('PUT', 'sys/policies/password/hexish', { policy })).status, 204);
    assert.equal((await dev.api.call('GET', 'sys/policies/password/hexish')).json.data.policy, policy);
    assert.deepEqual((await dev.api.call('LIST', 'sys/policies/password')).json.data.keys, ['hexish']);
    const generated = await dev.api.call('GET', 'sys/policies/password/hexish/generate');
    assert.equal(generated.status, 200);
    assert.match(generated.json.data.password, /^[a-f0-9]{24}$/);
    assert.equal((await dev.api.call('PUT', 'sys/policies/password/bad', { policy: 'length = 2' })).status, 400);
    assert.equal((await dev.api.call('GET', 'sys/policies/password/missing/generate')).status, 400);

    assert.equal((await dev.api.call('POST', 'database/config/pg', { password_policy: 'hexish', allowed_roles: 'readonly,short,static-*' })).status, 204);
    const c = await creds('readonly');
    assert.match(c.password, /^[a-f0-9]{24}$/);
    assert.ok(c.password.replace(/[^0-9]/g, '').length >= 4);
    assert.ok(scramMatches((await roleRow(c.username))!.rolpassword!, c.password));
    assert.equal((await dev.api.call('POST', 'sys/leases/revoke', { lease_id: c.leaseId })).status, 204);
    assert.equal((await dev.api.call('POST', 'database/config/pg', { password_policy: '', allowed_roles: 'readonly,short,static-*' })).status, 204);
    assert.equal((await dev.api.call('DELETE', 'sys/policies/password/hexish')).status, 204);
    assert.equal((await dev.api.call('GET', 'sys/policies/password/hexish')).status, 404);
  });

  test('static roles: create rotates at once; static-creds; rotate-role changes the password', async () => {
    const write = await dev.api.call('POST', 'database/static-roles/static-app', { db_name: 'pg', username: STATIC_USER, rotation_period: '1h' });
    assert.equal(write.status, 204, write.text);
    const first = await dev.api.call('GET', 'database/static-creds/static-app');
    assert.equal(first.status, 200);
    assert.equal(first.json.data.username, STATIC_USER);
    assert.equal(first.json.data.rotation_period, 3600);
    assert.ok(first.json.data.ttl > 3500 && first.json.data.ttl <= 3600);
    let verifier = (await roleRow(STATIC_USER))!.rolpassword!;
    assert.ok(scramMatches(verifier, first.json.data.password));
    assert.ok(!scramMatches(verifier, 'static-initial'));

    assert.equal((await dev.api.call('POST', 'database/rotate-role/static-app')).status, 204);
    const second = await dev.api.call('GET', 'database/static-creds/static-app');
    assert.notEqual(second.json.data.password, first.json.data.password);
    verifier = (await roleRow(STATIC_USER))!.rolpassword!;
    assert.ok(scramMatches(verifier, second.json.data.password));
    assert.ok(!scramMatches(verifier, first.json.data.password));

    const read = await dev.api.call('GET', 'database/static-roles/static-app');
    assert.equal(read.json.data.username, STATIC_USER);
    assert.equal(read.json.data.password, undefined);
    assert.deepEqual((await dev.api.call('LIST', 'database/static-roles')).json.data.keys, ['static-app']);

    const both = await dev.api.call('POST', 'database/static-roles/static-x', { db_name: 'pg', username: STATIC_USER, rotation_period: '1h', rotation_schedule: '0 * * * *' });
    assert.equal(both.status, 400);
    assert.equal((await dev.api.call('POST', 'database/static-roles/static-x', { db_name: 'pg', username: STATIC_USER, rotation_period: 2 })).status, 400);
    const sched = await dev.api.call('POST', 'database/static-roles/static-app', { rotation_schedule: '0 0 * * *' });
    assert.equal(sched.status, 204, sched.text);
    const scheduled = await dev.api.call('GET', 'database/static-creds/static-app');
    assert.equal(scheduled.json.data.rotation_schedule, '0 0 * * *');
    assert.ok(scheduled.json.data.ttl <= 86_400);
    assert.equal((await dev.api.call('DELETE', 'database/static-roles/static-app')).status, 204);
  });

  test('rotate-root leaves only the engine knowing the root password', async () => {
    const before = (await roleRow(ROOT))!.rolpassword!;
    assert.ok(scramMatches(before, ROOT_PASSWORD));
    const res = await dev.api.call('POST', 'database/rotate-root/pg');
    assert.equal(res.status, 204, res.text);
    const afterRotation = (await roleRow(ROOT))!.rolpassword!;
    assert.notEqual(afterRotation, before);
    assert.ok(!scramMatches(afterRotation, ROOT_PASSWORD), 'the old root password no longer matches');
    assert.ok(!(await dev.api.call('GET', 'database/config/pg')).text.includes('"password"'));
    // The engine still works with the password only it knows.
    const c = await creds('readonly');
    assert.equal((await dev.api.call('POST', 'sys/leases/revoke', { lease_id: c.leaseId })).status, 204);
    assert.equal((await dev.api.call('POST', 'database/reset/pg')).status, 204);
  });

  test('a database unreachable at revocation time: the attempt is persisted and retried until the role is dropped', async () => {
    const proxy = await startPausableProxy(5432);
    try {
      const config = await dev.api.call('POST', 'database/config/proxied', {
        plugin_name: 'postgresql-database-plugin',
        connection_url: `postgresql://{{username}}:{{password}}@127.0.0.1:${proxy.port}/test?sslmode=disable`,
        username: 'postgres', password: 'unused', allowed_roles: 'via-proxy',
      });
      assert.equal(config.status, 204, config.text);
      assert.equal((await dev.api.call('POST', 'database/roles/via-proxy', { db_name: 'proxied', creation_statements: CREATION })).status, 204);
      const c = await creds('via-proxy');
      assert.ok(await roleRow(c.username));

      proxy.pause();
      const revoke = await dev.api.call('POST', 'sys/leases/revoke', { lease_id: c.leaseId });
      assert.ok(revoke.status >= 400, `revocation must fail while the database is down (${revoke.status})`);
      assert.ok(await roleRow(c.username), 'the role still exists');
      const entry = await dev.server.composed.expiration.entry(c.leaseId);
      assert.ok(entry && entry.revokeAttempts >= 1, 'the failed attempt is persisted');
      assert.ok(entry.nextRetryTime > 0);

      proxy.resume();
      await waitFor('the retried revocation to drop the role', async () => (await roleRow(c.username)) === undefined, 30_000);
      await waitFor('the lease to be gone', async () => (await dev.server.composed.expiration.entry(c.leaseId)) === undefined);
      await assert.rejects(connectAs(c.username), (err: any) => err.code === '28000');
    } finally {
      await proxy.close();
    }
  });
});
