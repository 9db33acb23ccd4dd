/**
 * The audit broker: the pipeline's AuditSink and the owner of the audit table. Loaded at
 * unseal (devices survive restarts), dropped at seal. Every request is written to every
 * enabled device before it is handled and again after; when devices are enabled and none
 * could record an entry the request fails with AuditFailure (fail closed). One broken device
 * among several is logged and counted, not fatal.
 */
import { randomUUID } from 'node:crypto';
import type { BarrierStorage } from '../../barrier/types.js';
import { AuditFailure, InvalidRequest } from '../../errors.js';
import type { LogicalRequest, LogicalResponse } from '../../framework/logical.js';
import type { AuditSink } from '../request/ports.js';
import { createHasher, type Hasher } from './hash.js';
import { createEntryFormatter, rfc3339Nano, type EntryFormatter, type EntryInput } from './format.js';
import { parseCommonOptions } from './options.js';
import { readAuditTable, writeAuditTable, SALT_BYTES, SALT_PREFIX, type AuditTableEntry } from './table.js';
import type { AuditDevice, DeviceFactory } from './devices/types.js';
import { createFileDevice } from './devices/file.js';
import { createSocketDevice } from './devices/socket.js';
import { createSyslogDeviceFactory } from './devices/syslog.js';

export const DEFAULT_DEVICE_FACTORIES: Record<string, DeviceFactory> = {
  file: createFileDevice,
  socket: createSocketDevice,
  syslog: createSyslogDeviceFactory(),
};

export interface AuditBrokerDeps {
  /** The barrier (root view): the table at core/audit, salts under core/audit-salt/. */
  storage: BarrierStorage;
  randomBytes: (n: number) => Promise<Buffer>;
  factories?: Record<string, DeviceFactory>;
  /** The serving mount's audit_non_hmac_request_keys / audit_non_hmac_response_keys. */
  nonHmacKeys?: (req: LogicalRequest) => { request?: string[]; response?: string[] } | undefined;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Counts a device that failed to record an entry. */
  onWriteFailure?: (device: string, entryType: 'request' | 'response') => void;
  now?: () => Date;
}

interface LiveDevice {
  entry: AuditTableEntry;
  device: AuditDevice;
  hash: Hasher;
  format: EntryFormatter;
  prefix: string;
}

function normalizePath(path: string): string {
  const clean = path.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  if (clean === '') throw new InvalidRequest('audit device path must be given');
  return `${clean}/`;
}

/** A device that could not be opened at unseal: every write fails until it is fixed or disabled. */
function brokenDevice(cause: string): AuditDevice {
  return { write: () => Promise.reject(new Error(cause)), reopen: async () => {}, close: async () => {} };
}

export function createAuditBroker(deps: AuditBrokerDeps) {
  const factories = deps.factories ?? DEFAULT_DEVICE_FACTORIES;
  const now = deps.now ?? (() => new Date());
  let devices = new Map<string, LiveDevice>();
  let table: AuditTableEntry[] = [];
  /** Serialises enable/disable so the persisted table never loses an update. */
  let changing: Promise<unknown> = Promise.resolve();

  async function openDevice(entry: AuditTableEntry): Promise<AuditDevice> {
    const factory = factories[entry.type];
    if (!factory) throw new InvalidRequest(`unknown audit backend type: ${entry.type}`);
    return factory(entry.options);
  }

  function live(entry: AuditTableEntry, device: AuditDevice, salt: Buffer): LiveDevice {
    const common = parseCommonOptions(entry.options);
    const hash = createHasher(salt);
    return { entry, device, hash, format: createEntryFormatter(hash, common), prefix: common.prefix };
  }

  async function readSalt(uuid: string): Promise<Buffer> {
    const existing = await deps.storage.get(SALT_PREFIX + uuid);
    if (existing) return existing;
    const salt = await deps.randomBytes(SALT_BYTES);
    await deps.storage.put(SALT_PREFIX + uuid, salt);
    return salt;
  }

  function exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = changing.then(run, run);
    changing = next.catch(() => {});
    return next;
  }

  /** Undefined when no device is enabled: the pipeline then has nothing to wait for. */
  function record(kind: 'request' | 'response', input: Omit<EntryInput, 'time' | 'nonHmacRequestKeys' | 'nonHmacResponseKeys'>): Promise<void> | undefined {
    return devices.size === 0 ? undefined : writeEntries(kind, input);
  }

  async function writeEntries(kind: 'request' | 'response', input: Omit<EntryInput, 'time' | 'nonHmacRequestKeys' | 'nonHmacResponseKeys'>): Promise<void> {
    const keys = deps.nonHmacKeys?.(input.req);
    const full: EntryInput = {
      req: input.req,
      response: input.response,
      error: input.error,
      time: rfc3339Nano(now()),
      nonHmacRequestKeys: keys?.request?.length ? new Set(keys.request) : undefined,
      nonHmacResponseKeys: keys?.response?.length ? new Set(keys.response) : undefined,
    };
    const line = (d: LiveDevice) => d.prefix + (kind === 'request' ? d.format.requestJson(full) : d.format.responseJson(full)) + '\n';
    const failed = (d: LiveDevice, reason: unknown) => {
      const name = d.entry.path;
      deps.onWriteFailure?.(name, kind);
      deps.log('error', `audit: device ${name} failed to write the ${kind} entry: ${(reason as Error)?.message ?? 'unknown error'}`);
    };
    if (devices.size === 1) {
      // One device (the usual case): the same outcome without the settled-results bookkeeping.
      const only = devices.values().next().value as LiveDevice;
      const writing = only.device.write(line(only));
      try {
        await writing;
      } catch (err) {
        failed(only, err);
        throw new AuditFailure();
      }
      return;
    }
    const targets = [...devices.values()];
    const results = await Promise.allSettled(targets.map((d) => d.device.write(line(d))));
    let written = 0;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') written++;
      else failed(targets[i], r.reason);
    });
    if (written === 0) throw new AuditFailure();
  }

  const sink: AuditSink = {
    logRequest: (req: LogicalRequest, error?: Error) => record('request', { req, error }),
    logResponse: (req: LogicalRequest, response: LogicalResponse | undefined, error?: Error) => record('response', { req, response, error }),
  };

  return {
    name: 'audit',
    ...sink,

    async load(): Promise<void> {
      table = await readAuditTable(deps.storage);
      const next = new Map<string, LiveDevice>();
      for (const entry of table) {
        const salt = await readSalt(entry.uuid);
        let device: AuditDevice;
        try {
          device = await openDevice(entry);
        } catch (err) {
          deps.log('error', `audit: device ${entry.path} could not be opened: ${(err as Error).message}`);
          device = brokenDevice(`audit device ${entry.path} is not available`);
        }
        next.set(entry.path, live(entry, device, salt));
      }
      devices = next;
    },

    async unload(): Promise<void> {
      const old = [...devices.values()];
      devices = new Map();
      table = [];
      await Promise.all(old.map((d) => d.device.close().catch(() => {})));
    },

    /** Enables a device: opens (test-writes) it, then persists it with a fresh salt. */
    enable(path: string, config: { type: string; description?: string; options?: Record<string, string>; local?: boolean }): Promise<void> {
      return exclusive(async () => {
        const key = normalizePath(path);
        if (devices.has(key)) throw new InvalidRequest(`path already in use at ${key}`);
        if (!factories[config.type]) throw new InvalidRequest(`unknown audit backend type: ${config.type}`);
        const entry: AuditTableEntry = {
          path: key, type: config.type, description: config.description ?? '', options: { ...(config.options ?? {}) },
          local: config.local ?? false, uuid: randomUUID(),
        };
        parseCommonOptions(entry.options);
        const device = await openDevice(entry);
        try {
          const salt = await deps.randomBytes(SALT_BYTES);
          await deps.storage.put(SALT_PREFIX + entry.uuid, salt);
          await writeAuditTable(deps.storage, [...table, entry]);
          table = [...table, entry];
          devices.set(key, live(entry, device, salt));
        } catch (err) {
          await device.close().catch(() => {});
          throw err;
        }
      });
    },

    /** Disables a device and forgets its salt (re-enabling gives new hashes). False if absent. */
    disable(path: string): Promise<boolean> {
      return exclusive(async () => {
        const key = normalizePath(path);
        const found = devices.get(key);
        if (!found) return false;
        const rest = table.filter((e) => e.path !== key);
        await writeAuditTable(deps.storage, rest);
        table = rest;
        devices.delete(key);
        await deps.storage.delete(SALT_PREFIX + found.entry.uuid);
        await found.device.close().catch(() => {});
        return true;
      });
    },

    list(): AuditTableEntry[] {
      return table.map((e) => ({ ...e, options: { ...e.options } }));
    },

    /** The HMAC a device would write for `input`; undefined when no such device. */
    hash(path: string, input: string): string | undefined {
      return devices.get(normalizePath(path))?.hash(input);
    },

    /** SIGHUP: reopen files and reconnect sockets (logrotate). */
    async reopen(): Promise<void> {
      await Promise.all([...devices.values()].map(async (d) => {
        try {
          await d.device.reopen();
        } catch (err) {
          deps.log('error', `audit: device ${d.entry.path} could not be reopened: ${(err as Error).message}`);
        }
      }));
    },

    get enabledCount(): number { return devices.size; },
  };
}

export type AuditBroker = ReturnType<typeof createAuditBroker>;
