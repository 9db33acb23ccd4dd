/** Stored cert-method entries: `cert/<name>` (trusted certificates + constraints) and `crls/<name>`. Permanent layouts. */
import type { BarrierStorage } from '../../barrier/types.js';
import { getJson, putJson } from '../common/json-store.js';
import type { TokenParams } from '../common/token-params.js';
import type { TrustedEntryConstraints } from './verify.js';

export const CERT_ENTRY_VERSION = 1;
export const CRL_ENTRY_VERSION = 1;

export interface CertEntry extends TokenParams, TrustedEntryConstraints {
  v: number;
  certificate: string;
  display_name: string;
}

export interface CrlEntry {
  v: number;
  /** The CRL as given (PEM or base64 DER). */
  crl: string;
  /** Normalised revoked serials. */
  serials: string[];
}

export const validName = (name: string) => name !== '' && !name.includes('/');
export const readCert = (s: Pick<BarrierStorage, 'get'>, name: string) => (validName(name) ? getJson<CertEntry>(s, `cert/${name.toLowerCase()}`) : Promise.resolve(undefined));
export const writeCert = (s: Pick<BarrierStorage, 'put'>, name: string, e: CertEntry) => putJson(s, `cert/${name.toLowerCase()}`, e);
export const readCrl = (s: Pick<BarrierStorage, 'get'>, name: string) => (validName(name) ? getJson<CrlEntry>(s, `crls/${name.toLowerCase()}`) : Promise.resolve(undefined));
export const writeCrl = (s: Pick<BarrierStorage, 'put'>, name: string, e: CrlEntry) => putJson(s, `crls/${name.toLowerCase()}`, e);

/** Every revoked serial across all stored CRLs. */
export async function revokedSerials(s: Pick<BarrierStorage, 'get' | 'list'>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const name of await s.list('crls/')) for (const serial of (await readCrl(s, name))?.serials ?? []) out.add(serial);
  return out;
}
