/**
 * `gcpckms`: Cloud KMS key import into an existing key ring (`key_collection`). The CryptoKey
 * `<name>` is created import-only without an initial version; each Arca version is imported as
 * a new CryptoKeyVersion: an ImportJob (RSA_OAEP_3072_SHA256_AES_256, the distribution's
 * protection level) is created and polled until ACTIVE, the key material (raw AES key, or the
 * private key's PKCS#8 DER) is wrapped to the job's public key (RSA-OAEP-SHA256 + RFC 5649 AES
 * key wrap), imported, and polled until ENABLED; symmetric keys then make it primary. Versions
 * below min_enabled_version are DISABLED; removal destroys every version (Cloud KMS never deletes
 * a CryptoKey itself).
 *
 * Credentials: Vault's `service_account_file` (without it, Application Default Credentials);
 * Arca's `endpoint` (a URL) sends the SDK's REST transport there (private endpoints, stand-in).
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { classifyGcpError } from '../../../seal/gcpckms/seal.js';
import { InvalidRequest, UpstreamError } from '../../../errors.js';
import { materialToStored } from '../key-material.js';
import { rsaAesKeyWrap } from '../key-wrap.js';
import { call, hasCode } from './errors.js';
import type { DistributedKeyRef, KmsClient } from './types.js';

const SERVICE = 'Cloud KMS';
const IMPORT_METHOD = 'RSA_OAEP_3072_SHA256_AES_256';
const POLL = { attempts: 120, delayMs: 250 };

/** Cloud KMS purpose and algorithm for a key type and the distribution's purposes. */
export function gcpAlgorithm(ref: Pick<DistributedKeyRef, 'spec' | 'purpose'>): { purpose: string; algorithm: string } {
  const { spec } = ref;
  if (spec.material === 'aes') return { purpose: 'ENCRYPT_DECRYPT', algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION' };
  if (spec.material === 'ec') {
    const algorithm = { 'P-256': 'EC_SIGN_P256_SHA256', 'P-384': 'EC_SIGN_P384_SHA384' }[spec.curve as string];
    if (!algorithm) throw new InvalidRequest(`gcpckms does not accept ${spec.name} keys`);
    return { purpose: 'ASYMMETRIC_SIGN', algorithm };
  }
  const signs = ref.purpose.includes('sign');
  const decrypts = ref.purpose.includes('decrypt');
  if (signs === decrypts) throw new InvalidRequest('gcpckms: an RSA key is for "sign" or for "decrypt", not both and not neither');
  return signs
    ? { purpose: 'ASYMMETRIC_SIGN', algorithm: `RSA_SIGN_PKCS1_${spec.rsaBits}_SHA256` }
    : { purpose: 'ASYMMETRIC_DECRYPT', algorithm: `RSA_DECRYPT_OAEP_${spec.rsaBits}_SHA256` };
}

const gcpCode = (err: unknown): string => classifyGcpError(err).code;

export function createGcpCkmsClient(keyRing: string, c: Readonly<Record<string, string>>): KmsClient {
  const endpoint = c.endpoint ? new URL(c.endpoint) : undefined;
  const client = new KeyManagementServiceClient({
    ...(c.service_account_file ? { keyFilename: c.service_account_file } : {}),
    ...(endpoint ? {
      apiEndpoint: endpoint.hostname, port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
      protocol: endpoint.protocol.slice(0, -1), fallback: true,
    } : {}),
  } as ConstructorParameters<typeof KeyManagementServiceClient>[0]);
  const send = <T>(operation: string, work: () => Promise<T>) => call(SERVICE, operation, work, gcpCode);
  const keyName = (ref: DistributedKeyRef) => `${keyRing}/cryptoKeys/${ref.name}`;
  const level = (ref: DistributedKeyRef) => (ref.protection === 'hsm' ? 'HSM' : 'SOFTWARE');

  async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, failed: (value: T) => string | undefined): Promise<T> {
    for (let attempt = 0; attempt < POLL.attempts; attempt++) {
      const value = await read();
      const failure = failed(value);
      if (failure) throw new UpstreamError(`keymgmt: ${SERVICE} ${what} failed (${failure})`);
      if (done(value)) return value;
      await sleep(POLL.delayMs);
    }
    throw new UpstreamError(`keymgmt: ${SERVICE} ${what} did not finish in time`);
  }

  return {
    async importVersion(ref, version, material, first) {
      const { purpose, algorithm } = gcpAlgorithm(ref);
      if (first) {
        await send('CreateCryptoKey', () => client.createCryptoKey({
          parent: keyRing, cryptoKeyId: ref.name, skipInitialVersionCreation: true,
          cryptoKey: { purpose, importOnly: true, versionTemplate: { algorithm, protectionLevel: level(ref) } },
        } as any));
      }
      const jobId = `${ref.name.slice(0, 40)}-v${version}-${randomBytes(4).toString('hex')}`;
      const [created] = await send('CreateImportJob', () => client.createImportJob({
        parent: keyRing, importJobId: jobId, importJob: { importMethod: IMPORT_METHOD, protectionLevel: level(ref) },
      } as any));
      const job = await until('import job', async () => (await send('GetImportJob', () => client.getImportJob({ name: created.name! })))[0],
        (j) => j.state === 'ACTIVE' && Boolean(j.publicKey?.pem), (j) => (j.state === 'EXPIRED' ? 'EXPIRED' : undefined));
      let wrappedKey: Buffer;
      try {
        wrappedKey = rsaAesKeyWrap(createPublicKey(job.publicKey!.pem!), materialToStored(material), 'sha256');
      } catch (err) {
        throw new UpstreamError('keymgmt: Cloud KMS returned an import job public key that does not parse', { cause: err });
      }
      const [imported] = await send('ImportCryptoKeyVersion', () => client.importCryptoKeyVersion({
        parent: keyName(ref), algorithm, importJob: job.name, wrappedKey,
      } as any));
      const ready = await until('key import', async () => (await send('GetCryptoKeyVersion', () => client.getCryptoKeyVersion({ name: imported.name! })))[0],
        (v) => v.state === 'ENABLED', (v) => (v.state === 'IMPORT_FAILED' ? String(v.importFailureReason || 'IMPORT_FAILED') : undefined));
      if (purpose === 'ENCRYPT_DECRYPT') {
        const id = String(ready.name!).split('/').pop()!;
        await send('UpdateCryptoKeyPrimaryVersion', () => client.updateCryptoKeyPrimaryVersion({ name: keyName(ref), cryptoKeyVersionId: id }));
      }
      return String(ready.name);
    },

    async setVersionEnabled(_ref, name, enabled) {
      await send('UpdateCryptoKeyVersion', () => client.updateCryptoKeyVersion({
        cryptoKeyVersion: { name, state: enabled ? 'ENABLED' : 'DISABLED' }, updateMask: { paths: ['state'] },
      } as any));
    },

    async remove(_ref, names) {
      for (const name of names) {
        await send('DestroyCryptoKeyVersion', () => client.destroyCryptoKeyVersion({ name })).catch((err) => {
          // Already destroyed or scheduled (an earlier removal that failed part-way) is fine.
          if (!hasCode(err, 'FAILED_PRECONDITION')) throw err;
        });
      }
    },

    close() {
      void client.close();
    },
  };
}
