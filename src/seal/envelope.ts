/**
 * Envelope encryption shared by the cloud KMS seals (awskms, gcpckms, azurekeyvault), as
 * go-kms-wrapping does it (SEALS.md §2.2): a fresh 32-byte data key encrypts the value locally
 * with AES-256-GCM (12-byte random IV, the caller's AAD); the KMS wraps the data key. Blob
 * (wrapper-blob.ts v0x01):
 *   key id       what the KMS says wrapped it (AWS key ARN, GCP key *version* name, Azure key
 *                version) — so a rotated cloud key still decrypts old blobs, and core re-wraps
 *                when the id changes;
 *   mechanism    WRAPPER_MECHANISMS.aes256Gcm;  iv 12 bytes;
 *   wrapped key  the KMS ciphertext of the data key;  ciphertext  GCM ciphertext ‖ tag.
 *
 * Cloud failures are classified once per cloud (`classify`) and become one-line UpstreamErrors;
 * throttling and network faults are retried with backoff, the rest are not (retrying a disabled
 * key or a denied request changes nothing). A KMS refusing the wrapped key, or GCM failing, is
 * the one generic IntegrityError.
 */
import { randomBytes } from 'node:crypto';
import { aeadOpen, aeadSeal, GCM_NONCE_LENGTH, GCM_TAG_LENGTH } from '../crypto/aead.js';
import { ArcaError, IntegrityError, UpstreamError } from '../errors.js';
import type { Seal, SealType, SealWrapper } from './types.js';
import { decodeWrapperBlob, encodeWrapperBlob, WRAPPER_MECHANISMS } from './wrapper-blob.js';

export type KmsFailureKind = 'throttled' | 'network' | 'disabled' | 'denied' | 'not_found' | 'invalid_ciphertext' | 'other';

export interface KmsFailure {
  kind: KmsFailureKind;
  /** The cloud's error code or the network error code (never a payload). */
  code: string;
}

/** The calls a cloud seal makes; each may throw whatever its SDK throws. */
export interface KmsBackend {
  /** Wraps a data key with the key's current version. */
  wrap(dataKey: Buffer): Promise<{ keyId: string; wrappedKey: Buffer }>;
  /** Unwraps a data key made by the key (version) named `keyId`. */
  unwrap(keyId: string, wrappedKey: Buffer): Promise<Buffer>;
  /** Checks the key exists and may be used (DescribeKey, cryptoKeys.get, GET key). */
  check(): Promise<void>;
  close?(): Promise<void> | void;
}

export interface RetryPolicy {
  /** Total attempts for retryable failures (throttling, network). */
  attempts: number;
  /** First backoff; doubles per attempt. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ attempts: 3, baseDelayMs: 100 });

export interface EnvelopeSealOptions {
  type: Extract<SealType, 'awskms' | 'gcpckms' | 'azurekeyvault'>;
  /** Human name of the service in messages ("AWS KMS"). */
  service: string;
  backend: KmsBackend;
  classify(err: unknown): KmsFailure;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

const IV_BYTES = GCM_NONCE_LENGTH;
const TAG_BYTES = GCM_TAG_LENGTH;
const DATA_KEY_BYTES = 32;
const SELF_TEST = Buffer.from([0x01]);

function describe(type: string, service: string, failure: KmsFailure, attempts: number): string {
  const code = failure.code ? ` (${failure.code})` : '';
  switch (failure.kind) {
    case 'throttled': return `${type} seal: ${service} is throttling requests${code}; gave up after ${attempts} attempts`;
    case 'network': return `${type} seal: cannot reach ${service}${code}; gave up after ${attempts} attempts`;
    case 'disabled': return `${type} seal: the ${service} key is disabled${code}`;
    case 'denied': return `${type} seal: access to the ${service} key was denied${code}`;
    case 'not_found': return `${type} seal: the ${service} key was not found${code}`;
    default: return `${type} seal: ${service} request failed${code}`;
  }
}

export function createEnvelopeSeal(options: EnvelopeSealOptions) {
  const { type, service, backend, classify } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let closed = false;
  let lastKeyId: string | undefined;

  /** Runs one KMS call with retries for throttling and network faults; one clear line otherwise. */
  async function call<T>(op: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await op();
      } catch (err) {
        if (err instanceof ArcaError) throw err;
        const failure = classify(err);
        if (failure.kind === 'invalid_ciphertext') throw new IntegrityError();
        const retryable = failure.kind === 'throttled' || failure.kind === 'network';
        if (retryable && attempt < retry.attempts) {
          await sleep(retry.baseDelayMs * 2 ** (attempt - 1));
          continue;
        }
        throw new UpstreamError(describe(type, service, failure, attempt), { cause: err });
      }
    }
  }

  function checkOpen(): void {
    if (closed) throw new ArcaError(`${type} seal: the seal is closed`);
  }

  const wrapper: SealWrapper = {
    async encrypt(plaintext, aad) {
      checkOpen();
      const dataKey = randomBytes(DATA_KEY_BYTES);
      try {
        const { nonce: iv, ciphertext } = aeadSeal(dataKey, plaintext, aad);
        const { keyId, wrappedKey } = await call(() => backend.wrap(dataKey));
        if (!keyId || wrappedKey.length === 0) throw new UpstreamError(`${type} seal: ${service} returned no wrapped key`);
        lastKeyId = keyId;
        return encodeWrapperBlob({ keyId, mechanism: WRAPPER_MECHANISMS.aes256Gcm, iv, wrappedKey, ciphertext });
      } finally {
        dataKey.fill(0);
      }
    },
    async decrypt(bytes, aad) {
      checkOpen();
      const blob = decodeWrapperBlob(bytes);
      if (blob.mechanism !== WRAPPER_MECHANISMS.aes256Gcm || blob.iv.length !== IV_BYTES || blob.wrappedKey.length === 0 ||
          blob.ciphertext.length < TAG_BYTES || blob.keyId === '') throw new IntegrityError();
      const dataKey = Buffer.from(await call(() => backend.unwrap(blob.keyId, Buffer.from(blob.wrappedKey))));
      try {
        if (dataKey.length !== DATA_KEY_BYTES) throw new IntegrityError();
        return aeadOpen(dataKey, blob.iv, blob.ciphertext, aad);
      } finally {
        dataKey.fill(0);
      }
    },
  };

  const seal = {
    type,
    autoUnseal: true,
    async init() {
      checkOpen();
      await call(() => backend.check());
      // Self-test as Vault's wrappers do: this identity may encrypt and decrypt with the key.
      const back = await wrapper.decrypt(await wrapper.encrypt(SELF_TEST));
      if (!Buffer.from(back).equals(SELF_TEST)) throw new UpstreamError(`${type} seal: self-test failed: decrypt did not return what was encrypted`);
    },
    wrapper() {
      checkOpen();
      return wrapper;
    },
    /** Key id (version) of the last blob this seal made. */
    currentKeyId: () => lastKeyId,
    keyIdOf: (blob: Uint8Array) => decodeWrapperBlob(blob).keyId,
    async close() {
      closed = true;
      await backend.close?.();
    },
  } satisfies Seal & Record<string, unknown>;
  return seal;
}

export type EnvelopeSeal = ReturnType<typeof createEnvelopeSeal>;

/** Node network error codes that mean "the service could not be reached; try again". */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'TimeoutError', 'RequestTimeout', 'ECONNABORTED',
]);

/** Finds a network error code on an error or its causes. */
export function networkCode(err: unknown): string | undefined {
  for (let e: any = err, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
    if (typeof e.name === 'string' && NETWORK_CODES.has(e.name)) return e.name;
    if (Array.isArray(e.errors)) for (const inner of e.errors) if (typeof inner?.code === 'string' && NETWORK_CODES.has(inner.code)) return inner.code;
  }
  return undefined;
}
