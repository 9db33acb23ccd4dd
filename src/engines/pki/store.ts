/**
 * PKI storage layout (mount-relative, versioned JSON):
 *   config/ca_bundle      the active CA: certificate, chain above it, private key (seal-wrapped)
 *   config/pending_key    key of an intermediate whose CSR awaits signing (seal-wrapped)
 *   config/urls           issuing_certificates, crl_distribution_points, ocsp_servers
 *   config/crl_state      CRL number and the last CRL (DER, base64)
 *   role/<name>           roles
 *   certs/<hyphen serial> issued certificates (DER, base64)
 *   revoked/<hyphen serial> revocation records
 */
import type { BarrierStorage } from '../../barrier/types.js';
import { InvalidRequest } from '../../errors.js';
import type { StoredKey } from './crypto.js';
import type { Role } from './role-model.js';

export const SEAL_WRAPPED = ['config/ca_bundle', 'config/pending_key'];

export interface CaBundle {
  /** PEM of the CA certificate. */
  certificate: string;
  /** PEMs above it, nearest first (empty for a root). */
  chain: string[];
  key: StoredKey;
}

export interface UrlsConfig {
  issuing_certificates: string[];
  crl_distribution_points: string[];
  ocsp_servers: string[];
}

export interface CertRecord {
  /** Base64 DER. */
  der: string;
  serial: string;
  notAfter: number;
}

export interface RevocationRecord {
  serial: string;
  /** Unix seconds. */
  revocation_time: number;
  der: string;
  notAfter: number;
}

export interface CrlState {
  number: number;
  der?: string;
}

type Store = Pick<BarrierStorage, 'get' | 'put' | 'delete' | 'list'>;

function hyphen(serial: string): string {
  return serial.toLowerCase().replace(/:/g, '-');
}

function roleKey(name: string): string {
  if (name === '' || name.includes('/')) throw new InvalidRequest('invalid role name');
  return `role/${name}`;
}

export function createPkiStore(storage: Store) {
  async function getJson<T>(key: string): Promise<T | undefined> {
    const raw = await storage.get(key);
    if (!raw) return undefined;
    const { version, value } = JSON.parse(raw.toString('utf8')) as { version: number; value: T };
    if (version !== 1) throw new Error('unsupported pki entry version');
    return value;
  }
  async function putJson(key: string, value: unknown): Promise<void> {
    await storage.put(key, Buffer.from(JSON.stringify({ version: 1, value })));
  }
  return {
    getCa: () => getJson<CaBundle>('config/ca_bundle'),
    putCa: (ca: CaBundle) => putJson('config/ca_bundle', ca),
    deleteCa: () => storage.delete('config/ca_bundle'),
    getPendingKey: () => getJson<StoredKey>('config/pending_key'),
    putPendingKey: (key: StoredKey) => putJson('config/pending_key', key),
    deletePendingKey: () => storage.delete('config/pending_key'),
    getUrls: async (): Promise<UrlsConfig> =>
      (await getJson<UrlsConfig>('config/urls')) ?? { issuing_certificates: [], crl_distribution_points: [], ocsp_servers: [] },
    putUrls: (urls: UrlsConfig) => putJson('config/urls', urls),
    getCrlState: async (): Promise<CrlState> => (await getJson<CrlState>('config/crl_state')) ?? { number: 0 },
    putCrlState: (state: CrlState) => putJson('config/crl_state', state),
    getRole: (name: string) => getJson<Role>(roleKey(name)),
    putRole: (name: string, role: Role) => putJson(roleKey(name), role),
    deleteRole: (name: string) => storage.delete(roleKey(name)),
    listRoles: () => storage.list('role/'),
    getCert: (serial: string) => getJson<CertRecord>(`certs/${hyphen(serial)}`),
    putCert: (record: CertRecord) => putJson(`certs/${hyphen(record.serial)}`, record),
    deleteCert: (serial: string) => storage.delete(`certs/${hyphen(serial)}`),
    listCerts: async () => (await storage.list('certs/')).map((s) => s.replace(/-/g, ':')),
    getRevoked: (serial: string) => getJson<RevocationRecord>(`revoked/${hyphen(serial)}`),
    putRevoked: (record: RevocationRecord) => putJson(`revoked/${hyphen(record.serial)}`, record),
    deleteRevoked: (serial: string) => storage.delete(`revoked/${hyphen(serial)}`),
    listRevoked: async () => (await storage.list('revoked/')).map((s) => s.replace(/-/g, ':')),
  };
}

export type PkiStore = ReturnType<typeof createPkiStore>;
