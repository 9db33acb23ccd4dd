/**
 * The persisted audit table (barrier key `core/audit`, versioned JSON) and each device's
 * salt (`core/audit-salt/<uuid>`, 32 random bytes). Both live behind the barrier.
 */
import type { BarrierStorage } from '../../barrier/types.js';
import { IntegrityError } from '../../errors.js';

export const AUDIT_TABLE_KEY = 'core/audit';
export const AUDIT_TABLE_VERSION = 1;
export const SALT_PREFIX = 'core/audit-salt/';
export const SALT_BYTES = 32;

export interface AuditTableEntry {
  /** With trailing slash: `file/`. */
  path: string;
  type: string;
  description: string;
  options: Record<string, string>;
  local: boolean;
  uuid: string;
}

export async function readAuditTable(storage: Pick<BarrierStorage, 'get'>): Promise<AuditTableEntry[]> {
  const raw = await storage.get(AUDIT_TABLE_KEY);
  if (!raw) return [];
  const doc = JSON.parse(raw.toString('utf8')) as { version?: number; entries?: AuditTableEntry[] };
  if (doc.version !== AUDIT_TABLE_VERSION || !Array.isArray(doc.entries)) throw new IntegrityError('unreadable audit table');
  return doc.entries;
}

export async function writeAuditTable(storage: Pick<BarrierStorage, 'put'>, entries: AuditTableEntry[]): Promise<void> {
  await storage.put(AUDIT_TABLE_KEY, Buffer.from(JSON.stringify({ version: AUDIT_TABLE_VERSION, entries })));
}
