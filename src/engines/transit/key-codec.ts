/**
 * The stored transit key record and the backup string: permanent layouts.
 *
 * Record (JSON, UTF-8, at `policy/<name>` in the mount's storage, seal-wrapped):
 *   { "format": 1, "name", "type", "derived", "kdf": "hkdf_sha256", "convergent_encryption",
 *     "convergent_version", "exportable", "allow_plaintext_backup", "deletion_allowed",
 *     "auto_rotate_period" (seconds), "key_size", "min_decryption_version",
 *     "min_encryption_version", "min_available_version", "latest_version",
 *     "keys": { "<version>": { "key": base64, "hmac_key": base64, "time": RFC 3339 } },
 *     "backup_info"?: { "time", "version" }, "restore_info"?: { "time", "version" } }
 *   `key` holds the material in the form key-material.ts documents.
 *
 * Backup: base64 of the JSON { "format": "arca-transit-backup", "version": 1, "policy": <record> }.
 * A future layout gets a new number, decoded beside this one.
 */
import { InvalidRequest, StorageError } from '../../errors.js';
import { MATERIAL_OPS } from './key-material.js';
import { keyTypeSpec } from './key-types.js';
import type { KeyVersion, TransitKey } from './keyring.js';

export const KEY_RECORD_FORMAT = 1;
export const BACKUP_FORMAT = 'arca-transit-backup';
export const BACKUP_VERSION = 1;

interface StoredVersion { key: string; hmac_key: string; time: string }
interface Info { time: string; version: number }

export interface KeyRecord {
  format: number;
  name: string;
  type: string;
  derived: boolean;
  kdf: string;
  convergent_encryption: boolean;
  convergent_version: number;
  exportable: boolean;
  allow_plaintext_backup: boolean;
  deletion_allowed: boolean;
  auto_rotate_period: number;
  key_size: number;
  min_decryption_version: number;
  min_encryption_version: number;
  min_available_version: number;
  latest_version: number;
  keys: Record<string, StoredVersion>;
  backup_info?: Info;
  restore_info?: Info;
}

export function toRecord(key: TransitKey): KeyRecord {
  const ops = MATERIAL_OPS[keyTypeSpec(key.type).material];
  const keys: Record<string, StoredVersion> = {};
  for (const [version, entry] of [...key.versions].sort((a, b) => a[0] - b[0])) {
    keys[String(version)] = {
      key: ops.toStored(entry.material).toString('base64'),
      hmac_key: entry.hmacKey.toString('base64'),
      time: entry.createdAt.toISOString(),
    };
  }
  return {
    format: KEY_RECORD_FORMAT,
    name: key.name,
    type: key.type,
    derived: key.derived,
    kdf: 'hkdf_sha256',
    convergent_encryption: key.convergent,
    convergent_version: key.convergentVersion,
    exportable: key.exportable,
    allow_plaintext_backup: key.allowPlaintextBackup,
    deletion_allowed: key.deletionAllowed,
    auto_rotate_period: key.autoRotatePeriod,
    key_size: key.keySize,
    min_decryption_version: key.minDecryptionVersion,
    min_encryption_version: key.minEncryptionVersion,
    min_available_version: key.minAvailableVersion,
    latest_version: key.latestVersion,
    keys,
    ...(key.backupInfo ? { backup_info: key.backupInfo } : {}),
    ...(key.restoreInfo ? { restore_info: key.restoreInfo } : {}),
  };
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

function info(v: unknown): Info | undefined {
  if (v === undefined || v === null) return undefined;
  const o = v as Info;
  if (typeof o !== 'object' || typeof o.time !== 'string' || !isInt(o.version)) throw new Error('bad info');
  return { time: o.time, version: o.version };
}

/** Throws plain Errors on any malformed field; callers map them to their own error class. */
export function fromRecord(raw: unknown): TransitKey {
  const r = raw as KeyRecord;
  if (r === null || typeof r !== 'object' || r.format !== KEY_RECORD_FORMAT) throw new Error('unknown record format');
  if (typeof r.name !== 'string' || typeof r.type !== 'string') throw new Error('bad name/type');
  if (r.kdf !== 'hkdf_sha256') throw new Error('unknown kdf');
  const spec = keyTypeSpec(r.type);
  for (const n of [r.convergent_version, r.auto_rotate_period, r.key_size, r.min_decryption_version, r.min_encryption_version, r.min_available_version, r.latest_version]) {
    if (!isInt(n)) throw new Error('bad number');
  }
  const ops = MATERIAL_OPS[spec.material];
  const versions = new Map<number, KeyVersion>();
  if (r.keys === null || typeof r.keys !== 'object') throw new Error('bad keys');
  for (const [label, v] of Object.entries(r.keys)) {
    const version = Number(label);
    if (!Number.isInteger(version) || version < 1 || String(version) !== label) throw new Error('bad version');
    if (typeof v?.key !== 'string' || typeof v.hmac_key !== 'string' || typeof v.time !== 'string') throw new Error('bad version entry');
    const createdAt = new Date(v.time);
    if (Number.isNaN(createdAt.getTime())) throw new Error('bad time');
    versions.set(version, {
      material: ops.fromStored(spec, Buffer.from(v.key, 'base64')),
      hmacKey: Buffer.from(v.hmac_key, 'base64'),
      createdAt,
    });
  }
  if (!versions.has(r.latest_version)) throw new Error('latest version missing');
  return {
    name: r.name,
    type: r.type,
    derived: r.derived === true,
    convergent: r.convergent_encryption === true,
    convergentVersion: r.convergent_version,
    exportable: r.exportable === true,
    allowPlaintextBackup: r.allow_plaintext_backup === true,
    deletionAllowed: r.deletion_allowed === true,
    autoRotatePeriod: r.auto_rotate_period,
    keySize: r.key_size,
    minDecryptionVersion: r.min_decryption_version,
    minEncryptionVersion: r.min_encryption_version,
    minAvailableVersion: r.min_available_version,
    latestVersion: r.latest_version,
    versions,
    backupInfo: info(r.backup_info),
    restoreInfo: info(r.restore_info),
  };
}

export function encodeKey(key: TransitKey): Buffer {
  return Buffer.from(JSON.stringify(toRecord(key)), 'utf8');
}

export function decodeKey(bytes: Buffer): TransitKey {
  try {
    return fromRecord(JSON.parse(bytes.toString('utf8')));
  } catch (err) {
    throw new StorageError('transit: stored key record is malformed', { cause: err });
  }
}

export function encodeBackup(key: TransitKey): string {
  const doc = { format: BACKUP_FORMAT, version: BACKUP_VERSION, policy: toRecord(key) };
  return Buffer.from(JSON.stringify(doc), 'utf8').toString('base64');
}

export function decodeBackup(text: string): TransitKey {
  try {
    const doc = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as { format?: unknown; version?: unknown; policy?: unknown };
    if (doc?.format !== BACKUP_FORMAT || doc.version !== BACKUP_VERSION) throw new Error('unknown backup format');
    return fromRecord(doc.policy);
  } catch {
    throw new InvalidRequest('failed to decode backup: not a transit key backup');
  }
}
