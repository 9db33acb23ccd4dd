/** What the PKI paths need from the mount: storage, randomness, clock, TTL defaults. */
import type { SystemView } from '../../core/mounts/registry.js';
import { InvalidRequest } from '../../errors.js';
import type { PkiStore, CaBundle } from './store.js';

export interface PkiDeps {
  store: PkiStore;
  system: SystemView;
  now(): Date;
  /** Re-signs and stores the CRL from the revoked/ entries. */
  rebuildCrl(): Promise<Buffer>;
}

export async function requireCa(deps: Pick<PkiDeps, 'store'>): Promise<CaBundle> {
  const ca = await deps.store.getCa();
  if (!ca) throw new InvalidRequest('no default issuer currently configured: generate or import a CA first');
  return ca;
}

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
