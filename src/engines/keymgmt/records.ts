/**
 * The keymgmt engine's stored records: permanent layouts (JSON, UTF-8), format 1.
 *
 *   key/<name>            (seal-wrapped)
 *     { "format": 1, "name", "type", "deletion_allowed", "min_enabled_version", "latest_version",
 *       "versions": { "<n>": { "key": base64 (see key-material.ts), "creation_time": RFC 3339 } } }
 *   kms/<name>            (seal-wrapped: holds the provider credentials)
 *     { "format": 1, "name", "provider", "key_collection", "credentials": { "<k>": "<v>" } }
 *   distribution/<kms>/<key>
 *     { "format": 1, "kms", "key", "name" (the key's name in the provider), "purpose": [..],
 *       "protection", "created": RFC 3339,
 *       "versions": { "<n>": { "id": provider's id for that version, "enabled": bool } } }
 *
 * A future layout gets a new number, decoded beside this one.
 */
import { StorageError } from '../../errors.js';
import { materialFromStored, materialToStored, type Material } from './key-material.js';
import { KEY_TYPES, keyTypeSpec, type Protection, type Purpose } from './key-types.js';

export const RECORD_FORMAT = 1;

export interface KeyVersion { material: Material; created: Date }

export interface ManagedKey {
  name: string;
  type: string;
  deletionAllowed: boolean;
  minEnabledVersion: number;
  latestVersion: number;
  versions: Map<number, KeyVersion>;
}

export interface KmsProviderConfig {
  name: string;
  provider: string;
  keyCollection: string;
  credentials: Record<string, string>;
}

export interface DistributedVersion { id: string; enabled: boolean }

export interface Distribution {
  kms: string;
  key: string;
  /** The key's name in the provider. */
  name: string;
  purpose: Purpose[];
  protection: Protection;
  created: Date;
  versions: Map<number, DistributedVersion>;
}

function parse(raw: Buffer, what: string): Record<string, any> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new StorageError(`keymgmt: stored ${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || (value as { format?: unknown }).format !== RECORD_FORMAT) {
    throw new StorageError(`keymgmt: stored ${what} has an unknown format`);
  }
  return value as Record<string, any>;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
const versionNumbers = (versions: Record<string, unknown>): number[] => Object.keys(versions).map(Number).sort((a, b) => a - b);

export function encodeKey(key: ManagedKey): Buffer {
  const versions: Record<string, { key: string; creation_time: string }> = {};
  for (const [n, v] of [...key.versions].sort((a, b) => a[0] - b[0])) {
    versions[String(n)] = { key: materialToStored(v.material).toString('base64'), creation_time: v.created.toISOString() };
  }
  return json({
    format: RECORD_FORMAT, name: key.name, type: key.type, deletion_allowed: key.deletionAllowed,
    min_enabled_version: key.minEnabledVersion, latest_version: key.latestVersion, versions,
  });
}

export function decodeKey(raw: Buffer): ManagedKey {
  const r = parse(raw, 'key');
  if (!Object.prototype.hasOwnProperty.call(KEY_TYPES, String(r.type))) throw new StorageError('keymgmt: stored key has an unknown type');
  const spec = keyTypeSpec(String(r.type));
  const versions = new Map<number, KeyVersion>();
  for (const n of versionNumbers(r.versions ?? {})) {
    const v = r.versions[String(n)];
    versions.set(n, { material: materialFromStored(spec, Buffer.from(String(v.key), 'base64')), created: new Date(String(v.creation_time)) });
  }
  return {
    name: String(r.name), type: spec.name, deletionAllowed: r.deletion_allowed === true,
    minEnabledVersion: Number(r.min_enabled_version) || 0, latestVersion: Number(r.latest_version), versions,
  };
}

export function encodeProvider(p: KmsProviderConfig): Buffer {
  return json({ format: RECORD_FORMAT, name: p.name, provider: p.provider, key_collection: p.keyCollection, credentials: p.credentials });
}

export function decodeProvider(raw: Buffer): KmsProviderConfig {
  const r = parse(raw, 'kms provider');
  const credentials: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.credentials ?? {})) credentials[k] = String(v);
  return { name: String(r.name), provider: String(r.provider), keyCollection: String(r.key_collection), credentials };
}

export function encodeDistribution(d: Distribution): Buffer {
  const versions: Record<string, { id: string; enabled: boolean }> = {};
  for (const [n, v] of [...d.versions].sort((a, b) => a[0] - b[0])) versions[String(n)] = { id: v.id, enabled: v.enabled };
  return json({
    format: RECORD_FORMAT, kms: d.kms, key: d.key, name: d.name, purpose: d.purpose, protection: d.protection,
    created: d.created.toISOString(), versions,
  });
}

export function decodeDistribution(raw: Buffer): Distribution {
  const r = parse(raw, 'distribution');
  const versions = new Map<number, DistributedVersion>();
  for (const n of versionNumbers(r.versions ?? {})) {
    const v = r.versions[String(n)];
    versions.set(n, { id: String(v.id), enabled: v.enabled !== false });
  }
  return {
    kms: String(r.kms), key: String(r.key), name: String(r.name), purpose: (r.purpose ?? []).map(String) as Purpose[],
    protection: r.protection === 'software' ? 'software' : 'hsm', created: new Date(String(r.created)), versions,
  };
}
