/**
 * `seal "awskms"`: AWS KMS wraps the envelope data key (envelope.ts). The blob's key id is the
 * key ARN that Encrypt returns; the CiphertextBlob embeds the key-material version, so AWS key
 * rotation is transparent and old blobs still decrypt. Calls: DescribeKey (init), Encrypt,
 * Decrypt (with the recorded key ARN). The SDK's own retries are off (maxAttempts 1): the
 * envelope retries throttling and network faults itself and fails fast on the rest.
 */
import { DecryptCommand, DescribeKeyCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { createEnvelopeSeal, networkCode, type KmsFailure, type RetryPolicy } from '../envelope.js';
import type { AwsKmsSealConfig } from './config.js';

const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'LimitExceededException', 'KMSInternalException', 'DependencyTimeoutException']);
const DISABLED = new Set(['DisabledException', 'KMSInvalidStateException', 'KeyUnavailableException']);
const DENIED = new Set(['AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException', 'IncompleteSignatureException',
  'ExpiredTokenException', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'CredentialsProviderError']);
const INVALID = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

export function classifyAwsError(err: unknown): KmsFailure {
  const net = networkCode(err);
  if (net) return { kind: 'network', code: net };
  const name = String((err as any)?.name ?? (err as any)?.Code ?? '');
  if (THROTTLED.has(name)) return { kind: 'throttled', code: name };
  if (DISABLED.has(name)) return { kind: 'disabled', code: name };
  if (DENIED.has(name)) return { kind: 'denied', code: name };
  if (name === 'NotFoundException') return { kind: 'not_found', code: name };
  if (INVALID.has(name)) return { kind: 'invalid_ciphertext', code: name };
  const status = (err as any)?.$metadata?.httpStatusCode;
  if (status === 429) return { kind: 'throttled', code: name || 'HTTP 429' };
  if (typeof status === 'number' && status >= 500) return { kind: 'throttled', code: name || `HTTP ${status}` };
  return { kind: 'other', code: name || 'unknown error' };
}

export interface AwsKmsSealOptions {
  retry?: RetryPolicy;
}

export function createAwsKmsSeal(config: AwsKmsSealConfig, options: AwsKmsSealOptions = {}) {
  const client = new KMSClient({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 },
  });
  return createEnvelopeSeal({
    type: 'awskms',
    service: 'AWS KMS',
    classify: classifyAwsError,
    retry: options.retry,
    backend: {
      async check() {
        const out = await client.send(new DescribeKeyCommand({ KeyId: config.kmsKeyId }));
        const meta = out.KeyMetadata;
        if (meta && meta.Enabled === false) throw Object.assign(new Error('key disabled'), { name: 'DisabledException' });
      },
      async wrap(dataKey) {
        const out = await client.send(new EncryptCommand({ KeyId: config.kmsKeyId, Plaintext: dataKey }));
        return { keyId: out.KeyId ?? '', wrappedKey: Buffer.from(out.CiphertextBlob ?? new Uint8Array()) };
      },
      async unwrap(keyId, wrappedKey) {
        const out = await client.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: wrappedKey }));
        return Buffer.from(out.Plaintext ?? new Uint8Array());
      },
      close() {
        client.destroy();
      },
    },
  });
}

export type AwsKmsSeal = ReturnType<typeof createAwsKmsSeal>;
