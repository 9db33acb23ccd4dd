/**
 * `seal "gcpckms"`: Cloud KMS wraps the envelope data key (../awskms/envelope.ts). The blob's
 * key id is the full CryptoKeyVersion name Encrypt returns
 * (projects/…/cryptoKeys/<k>/cryptoKeyVersions/<v>), so a rotated key changes the id (core
 * re-wraps) and old blobs still decrypt while their version stays enabled. Decrypt goes to the
 * CryptoKey named in the recorded version (the ciphertext names its version). Calls:
 * cryptoKeys.get (init), encrypt, decrypt — gax's own retries are off (`retry: null`); the
 * envelope retries RESOURCE_EXHAUSTED / UNAVAILABLE / network faults and fails fast otherwise.
 */
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { createEnvelopeSeal, networkCode, type KmsFailure, type RetryPolicy } from '../envelope.js';
import type { GcpCkmsSealConfig } from './config.js';

/** google.rpc.Code: numbers (gRPC transport) and names (REST bodies) → failure kind. */
const CODES: ReadonlyArray<[number, string, KmsFailure['kind']]> = [
  [3, 'INVALID_ARGUMENT', 'invalid_ciphertext'],
  [4, 'DEADLINE_EXCEEDED', 'network'],
  [5, 'NOT_FOUND', 'not_found'],
  [7, 'PERMISSION_DENIED', 'denied'],
  [8, 'RESOURCE_EXHAUSTED', 'throttled'],
  [9, 'FAILED_PRECONDITION', 'disabled'],
  [14, 'UNAVAILABLE', 'network'],
  [16, 'UNAUTHENTICATED', 'denied'],
];

/** The google.rpc status name of a REST error body ({"error":{"status"}}), if any. */
function restStatus(err: any): string | undefined {
  // gaxios (REST transport) puts the response body text in the message and leaves `data` empty.
  const parse = (text: unknown) => { try { return typeof text === 'string' ? JSON.parse(text) : undefined; } catch { return undefined; } };
  const body = err?.response?.data && typeof err.response.data === 'object' ? err.response.data : parse(err?.response?.data) ?? parse(err?.message);
  const status = body?.error?.status ?? err?.error?.status;
  return typeof status === 'string' ? status : undefined;
}

export function classifyGcpError(err: unknown): KmsFailure {
  const net = networkCode(err);
  if (net) return { kind: 'network', code: net };
  const name = restStatus(err);
  const byName = name ? CODES.find((c) => c[1] === name) : undefined;
  if (byName) return { kind: byName[2], code: byName[1] };
  const code = (err as any)?.code;
  const http = (err as any)?.response?.status;
  // gRPC errors carry a small google.rpc code; REST errors without a body carry the HTTP status.
  const byNumber = typeof code === 'number' && code < 100 && http === undefined ? CODES.find((c) => c[0] === code) : undefined;
  if (byNumber) return { kind: byNumber[2], code: byNumber[1] };
  if (http === 401 || http === 403) return { kind: 'denied', code: `HTTP ${http}` };
  if (http === 429) return { kind: 'throttled', code: 'HTTP 429' };
  if (typeof http === 'number' && http >= 500) return { kind: 'network', code: `HTTP ${http}` };
  return { kind: 'other', code: typeof http === 'number' ? `HTTP ${http}` : typeof code === 'number' ? `code ${code}` : String((err as any)?.name ?? 'unknown error') };
}

const VERSION_NAME = /^(projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+)\/cryptoKeyVersions\/\d+$/;
const NO_RETRY = { retry: null, timeout: 15_000 };

export interface GcpCkmsSealOptions {
  retry?: RetryPolicy;
}

export function createGcpCkmsSeal(config: GcpCkmsSealConfig, options: GcpCkmsSealOptions = {}) {
  const client = new KeyManagementServiceClient({
    projectId: config.project,
    ...(config.credentialsFile ? { keyFilename: config.credentialsFile } : {}),
    ...(config.endpoint ? { apiEndpoint: config.endpoint.host, port: config.endpoint.port, protocol: config.endpoint.protocol, fallback: true } : {}),
  } as ConstructorParameters<typeof KeyManagementServiceClient>[0]);
  return createEnvelopeSeal({
    type: 'gcpckms',
    service: 'Cloud KMS',
    classify: classifyGcpError,
    retry: options.retry,
    backend: {
      async check() {
        const [key] = await client.getCryptoKey({ name: config.keyName }, NO_RETRY as any);
        if (key.purpose && key.purpose !== 'ENCRYPT_DECRYPT') throw Object.assign(new Error('wrong purpose'), { code: 9 });
        if (key.primary?.state && key.primary.state !== 'ENABLED') throw Object.assign(new Error('primary version not enabled'), { code: 9 });
      },
      async wrap(dataKey) {
        const [out] = await client.encrypt({ name: config.keyName, plaintext: dataKey }, NO_RETRY as any);
        return { keyId: out.name ?? '', wrappedKey: Buffer.from(out.ciphertext ?? new Uint8Array()) };
      },
      async unwrap(keyId, wrappedKey) {
        const key = VERSION_NAME.exec(keyId);
        if (!key) throw Object.assign(new Error('blob names no key version'), { code: 3 });
        const [out] = await client.decrypt({ name: key[1], ciphertext: wrappedKey }, NO_RETRY as any);
        return Buffer.from(out.plaintext ?? new Uint8Array());
      },
      async close() {
        await client.close();
      },
    },
  });
}

export type GcpCkmsSeal = ReturnType<typeof createGcpCkmsSeal>;
