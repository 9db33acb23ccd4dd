/**
 * Static-role background rotation, driven by the engine's own timer with a test clock, against
 * the machine's MariaDB: a role is rotated when its period (or cron schedule) comes due, the new
 * password logs in and the old one is refused; cleanup stops the timer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { requireSystem } from './support/requires.js';
import { mariadbReachable } from './support/databases.js';
import { waitFor } from './database-support.js';
import { createDatabaseBackend } from '../src/engines/database/index.js';
import { createDispatcher } from '../src/framework/backend.js';
import type { LogicalRequest, Operation } from '../src/framework/logical.js';
import { DEFAULT_PASSWORD_POLICY, generatePassword } from '../src/core/password-policy/index.js';

const reachable = await mariadbReachable();
const skip = requireSystem('database static rotation (MariaDB)', { install: 'a running MariaDB on 127.0.0.1:3306', present: () => reachable });

const USER = `arca_rot_${randomBytes(4).toString('hex')}`;

async function canLogin(password: string): Promise<boolean> {
  try {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: USER, password });
    await c.end();
    return true;
  } catch (err) {
    if (String((err as { code?: string }).code).startsWith('ER_ACCESS_DENIED')) return false;
    throw err;
  }
}

describe('database static roles: background rotation', { skip }, () => {
  let admin: mysql.Connection;
  let clock = Date.parse('2030-01-01T00:00:10Z');
  const map = new Map<string, Buffer>();
  const storage = {
    get: async (k: string) => map.get(k),
    put: async (k: string, v: Buffer) => { map.set(k, v); },
    delete: async (k: string) => { map.delete(k); },
    list: async (p: string) => [...new Set([...map.keys()].filter((k) => k.startsWith(p)).map((k) => {
      const rest = k.slice(p.length);
      const slash = rest.indexOf('/');
      return slash < 0 ? rest : rest.slice(0, slash + 1);
    }))],
  };
  const backend = createDatabaseBackend(
    { storage, system: { defaultLeaseTtl: () => 3600, maxLeaseTtl: () => 86400, randomBytes: async (n) => randomBytes(n) } },
    { generatePassword: async () => generatePassword(DEFAULT_PASSWORD_POLICY), now: () => clock, rotationTickMs: 20 },
  );
  const dispatcher = createDispatcher(backend);

  function call(operation: Operation, path: string, data: Record<string, unknown> = {}) {
    const req: LogicalRequest = {
      id: 'test', operation, path: `database/${path}`, mountRelativePath: path, mountPoint: 'database/', mountType: 'database',
      mountAccessor: 'database_test', data, clientToken: '', headers: {}, remoteAddress: '127.0.0.1', storage,
    };
    return dispatcher.handle(req);
  }

  const password = async () => (await call('read', 'static-creds/app')).data!.password as string;

  before(async () => {
    admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await admin.query(`CREATE USER '${USER}'@'%' IDENTIFIED BY 'initial'`);
  });

  after(async () => {
    await backend.cleanup?.();
    await admin?.query(`DROP USER IF EXISTS '${USER}'@'%'`);
    await admin?.end();
  });

  test('config and static-role entries are declared seal-wrapped', () => {
    assert.deepEqual(backend.sealWrapStorage, ['config/*', 'static-role/*']);
  });

  test('a due rotation_period rotates in the background; a cron schedule too; cleanup stops the timer', async () => {
    await call('update', 'config/maria', { plugin_name: 'mysql-database-plugin', connection_url: 'root:@tcp(127.0.0.1:3306)/', allowed_roles: '*' });
    await call('update', 'static-roles/app', { db_name: 'maria', username: USER, rotation_period: 60 });
    const first = await password();
    assert.equal(await canLogin(first), true);
    assert.equal((await call('read', 'static-creds/app')).data!.ttl, 60);

    clock += 61_000;
    await waitFor('the period rotation', async () => (await password()) !== first);
    const second = await password();
    assert.equal(await canLogin(first), false);
    assert.equal(await canLogin(second), true);
    assert.equal((await call('read', 'static-creds/app')).data!.last_vault_rotation, new Date(clock).toISOString());

    await call('update', 'static-roles/app', { rotation_schedule: '*/5 * * * *' });
    const ttl = (await call('read', 'static-creds/app')).data!.ttl as number;
    assert.ok(ttl > 0 && ttl <= 300, String(ttl));
    clock += ttl * 1000 + 1000;
    await waitFor('the scheduled rotation', async () => (await password()) !== second);
    const third = await password();
    assert.equal(await canLogin(third), true);

    await backend.cleanup?.();
    clock += 3_600_000;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await password(), third, 'no rotation after cleanup');
  });
});
