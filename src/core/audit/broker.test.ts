import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AuditFailure, InvalidRequest } from '../../errors.js';
import type { BarrierStorage } from '../../barrier/types.js';
import type { LogicalRequest } from '../../framework/logical.js';
import { createAuditBroker } from './broker.js';
import { AUDIT_TABLE_KEY, SALT_PREFIX } from './table.js';
import type { AuditDevice } from './devices/types.js';

function memoryStorage(): BarrierStorage & { data: Map<string, Buffer> } {
  const data = new Map<string, Buffer>();
  return {
    data,
    get: async (k) => data.get(k),
    put: async (k, v) => { data.set(k, Buffer.from(v)); },
    delete: async (k) => { data.delete(k); },
    list: async (p) => [...data.keys()].filter((k) => k.startsWith(p)).map((k) => k.slice(p.length)),
  };
}

/** A device type writing into an array, breakable on demand (the "memory" type exists only here). */
function memoryDevices() {
  const lines = new Map<string, string[]>();
  const broken = new Set<string>();
  const factory = async (options: Record<string, string>): Promise<AuditDevice> => {
    const name = options.name;
    if (options.refuse) throw new InvalidRequest('memory device: refused');
    lines.set(name, lines.get(name) ?? []);
    return {
      write: async (line) => { if (broken.has(name)) throw new Error('broken'); lines.get(name)!.push(line); },
      reopen: async () => {},
      close: async () => {},
    };
  };
  return { lines, broken, factory };
}

const req = { id: 'r1', operation: 'read', path: 'secret/x', mountPoint: 'secret/', mountType: 'kv', mountAccessor: 'a', data: {}, clientToken: 't', headers: {}, remoteAddress: '::1' } as unknown as LogicalRequest;

function setup() {
  const storage = memoryStorage();
  const mem = memoryDevices();
  const failures: string[] = [];
  const broker = createAuditBroker({
    storage, randomBytes: async (n) => randomBytes(n), factories: { memory: mem.factory }, log: () => {},
    onWriteFailure: (device, type) => failures.push(`${device}:${type}`),
  });
  return { storage, mem, failures, broker };
}

test('no devices: nothing is written and nothing fails', async () => {
  const { broker } = setup();
  await broker.load();
  // Nothing to wait for either: the pipeline skips the await when there is no promise.
  assert.equal(broker.logRequest(req), undefined);
  assert.equal(broker.logResponse(req, { data: { a: 'b' } }), undefined);
});

test('fail closed with every device broken; one working device is enough', async () => {
  const { broker, mem, failures } = setup();
  await broker.load();
  await broker.enable('one', { type: 'memory', options: { name: 'one' } });
  await broker.enable('two/', { type: 'memory', options: { name: 'two' } });
  mem.broken.add('one');
  await broker.logRequest(req);
  assert.equal(mem.lines.get('two')!.length, 1);
  assert.deepEqual(failures, ['one/:request']);
  mem.broken.add('two');
  await assert.rejects(async () => broker.logRequest(req), AuditFailure);
  await assert.rejects(async () => broker.logResponse(req, undefined), AuditFailure);
});

test('the table and salts persist; a reload keeps hashes; disable drops the salt; prefix is prepended', async () => {
  const { broker, storage, mem } = setup();
  await broker.load();
  await broker.enable('p', { type: 'memory', description: 'd', options: { name: 'p', prefix: '@cee:' } });
  const hash = broker.hash('p', 'needle');
  assert.match(hash!, /^hmac-sha256:[0-9a-f]{64}$/);
  const [entry] = broker.list();
  assert.deepEqual({ ...entry, uuid: undefined }, { path: 'p/', type: 'memory', description: 'd', options: { name: 'p', prefix: '@cee:' }, local: false, uuid: undefined });
  assert.ok(storage.data.has(AUDIT_TABLE_KEY));
  assert.ok(storage.data.has(SALT_PREFIX + entry.uuid));
  await broker.logRequest(req);
  assert.match(mem.lines.get('p')![0], /^@cee:\{"time":"/);

  await broker.unload();
  assert.equal(broker.hash('p', 'needle'), undefined);
  await broker.load();
  assert.equal(broker.hash('p', 'needle'), hash);

  assert.equal(await broker.disable('p'), true);
  assert.equal(await broker.disable('p'), false);
  assert.equal(storage.data.has(SALT_PREFIX + entry.uuid), false);
  assert.deepEqual(broker.list(), []);
});

test('enable refuses duplicates, unknown types, bad options and devices that cannot open; nothing is persisted then', async () => {
  const { broker, storage } = setup();
  await broker.load();
  await broker.enable('a', { type: 'memory', options: { name: 'a' } });
  await assert.rejects(broker.enable('a/', { type: 'memory', options: { name: 'a' } }), { message: 'path already in use at a/' });
  await assert.rejects(broker.enable('b', { type: 'nosuch' }), InvalidRequest);
  await assert.rejects(broker.enable('b', { type: 'memory', options: { name: 'b', format: 'jsonx' } }), InvalidRequest);
  await assert.rejects(broker.enable('b', { type: 'memory', options: { name: 'b', hmac_accessor: 'maybe' } }), InvalidRequest);
  await assert.rejects(broker.enable('b', { type: 'memory', options: { name: 'b', refuse: '1' } }), InvalidRequest);
  assert.deepEqual(broker.list().map((e) => e.path), ['a/']);
  assert.equal([...storage.data.keys()].filter((k) => k.startsWith(SALT_PREFIX)).length, 1);
});

test('a device that cannot open at unseal stays in the table and fails closed', async () => {
  const { broker, storage } = setup();
  await broker.load();
  await broker.enable('a', { type: 'memory', options: { name: 'a' } });
  await broker.unload();
  const table = JSON.parse(storage.data.get(AUDIT_TABLE_KEY)!.toString());
  table.entries[0].options.refuse = '1';
  storage.data.set(AUDIT_TABLE_KEY, Buffer.from(JSON.stringify(table)));
  await broker.load();
  assert.equal(broker.list().length, 1);
  await assert.rejects(async () => broker.logRequest(req), AuditFailure);
});
