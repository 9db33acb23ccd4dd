/**
 * `seal "gcpckms"` through the official @google-cloud/kms SDK on its REST transport
 * (`fallback`, `apiEndpoint`/`port`/`protocol: 'http'` via the seal's `endpoint`) against the
 * stand-in, authenticating with a real service-account key file (RS256 JWTs the stand-in
 * verifies): config parsing, blob handling, one-line errors, and the shared auto-unseal
 * scenarios. An opt-in live test runs only with real Google credentials in the environment.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IntegrityError, InvalidRequest, UpstreamError } from '../src/errors.js';
import { parseGcpCkmsSealConfig } from '../src/seal/gcpckms/config.js';
import { createGcpCkmsSeal } from '../src/seal/gcpckms/seal.js';
import { decodeWrapperBlob, WRAPPER_MECHANISMS } from '../src/seal/wrapper-blob.js';
import { startGcpKmsStandin, type GcpKmsStandin } from './standins/gcp-kms-standin.js';
import { exerciseKmsSealScenarios, liveSealRoundTrip } from './standins/kms-seal-scenarios.js';

let kms: GcpKmsStandin;
let credentials: string;

before(async () => {
  kms = await startGcpKmsStandin();
  credentials = kms.serviceAccountFile();
});
after(async () => {
  await kms.close();
});

function options(cryptoKey: string, extra: Record<string, string> = {}): Record<string, string> {
  return { project: kms.project, region: kms.location, key_ring: kms.keyRing, crypto_key: cryptoKey, credentials, endpoint: kms.endpoint, ...extra };
}
const idOf = (name: string) => name.slice(name.lastIndexOf('/') + 1);
const keyName = (o: Record<string, string>) => `projects/${o.project}/locations/${o.region}/keyRings/${o.key_ring}/cryptoKeys/${o.crypto_key}`;
const FAST = { attempts: 3, baseDelayMs: 5 };

describe('gcpckms config', () => {
  test('stanza values win; Vault/Google environment variables fill the gaps', () => {
    const env = { GOOGLE_PROJECT: 'p1', GOOGLE_REGION: 'europe-west1', VAULT_GCPCKMS_SEAL_KEY_RING: 'ring', VAULT_GCPCKMS_SEAL_CRYPTO_KEY: 'key', GOOGLE_APPLICATION_CREDENTIALS: '/creds.json' };
    const c = parseGcpCkmsSealConfig({}, env);
    assert.equal(c.keyName, 'projects/p1/locations/europe-west1/keyRings/ring/cryptoKeys/key');
    assert.equal(c.credentialsFile, '/creds.json');
    assert.equal(c.endpoint, undefined);
    assert.equal(parseGcpCkmsSealConfig({}, { ...env, GOOGLE_CREDENTIALS: '/other.json' }).credentialsFile, '/other.json');
    const d = parseGcpCkmsSealConfig({ project: 'p2', crypto_key: 'k2', endpoint: 'http://127.0.0.1:9' }, env);
    assert.equal(d.keyName, 'projects/p2/locations/europe-west1/keyRings/ring/cryptoKeys/k2');
    assert.deepEqual(d.endpoint, { protocol: 'http', host: '127.0.0.1', port: 9 });
    const w = parseGcpCkmsSealConfig({}, { GCPCKMS_WRAPPER_PROJECT: 'wp', GCPCKMS_WRAPPER_LOCATION: 'wl', GCPCKMS_WRAPPER_KEY_RING: 'wr', GCPCKMS_WRAPPER_CRYPTO_KEY: 'wk' });
    assert.equal(w.keyName, 'projects/wp/locations/wl/keyRings/wr/cryptoKeys/wk');
  });

  test('missing parameters, path-like ids and unknown parameters are refused', () => {
    assert.throws(() => parseGcpCkmsSealConfig({ region: 'r', key_ring: 'k', crypto_key: 'c' }, {}), (e: unknown) => e instanceof InvalidRequest && /missing project \(or GOOGLE_PROJECT \/ GCPCKMS_WRAPPER_PROJECT\)/.test(e.message));
    assert.throws(() => parseGcpCkmsSealConfig({ project: 'p', region: 'r', key_ring: 'k/../x', crypto_key: 'c' }, {}), InvalidRequest);
    assert.throws(() => parseGcpCkmsSealConfig({ project: 'p', region: 'r', key_ring: 'k', crypto_key: 'c', bogus: '1' }, {}), /unknown parameter "bogus"/);
  });
});

describe('gcpckms seal against the stand-in', () => {
  test('envelope blob records the key version name; rotation changes it and old blobs still decrypt', async () => {
    const key = kms.createKey();
    const seal = createGcpCkmsSeal(parseGcpCkmsSealConfig(options(idOf(key.name)), {}), { retry: FAST });
    await seal.init();
    const aad = Buffer.from('core/keyring');
    const old = await seal.wrapper().encrypt(Buffer.from('root key'), aad);
    const parsed = decodeWrapperBlob(old);
    assert.equal(parsed.keyId, `${key.name}/cryptoKeyVersions/1`);
    assert.equal(parsed.mechanism, WRAPPER_MECHANISMS.aes256Gcm);
    kms.rotate(key);
    const fresh = await seal.wrapper().encrypt(Buffer.from('root key'), aad);
    assert.equal(decodeWrapperBlob(fresh).keyId, `${key.name}/cryptoKeyVersions/2`);
    assert.equal(seal.currentKeyId(), `${key.name}/cryptoKeyVersions/2`);
    for (const blob of [old, fresh]) assert.deepEqual(Buffer.from(await seal.wrapper().decrypt(blob, aad)), Buffer.from('root key'));
    await assert.rejects(seal.wrapper().decrypt(old, Buffer.from('x')), IntegrityError);
    const flipped = Buffer.from(old);
    flipped[flipped.length - parsed.ciphertext.length - 3] ^= 1; // inside the wrapped key
    await assert.rejects(seal.wrapper().decrypt(flipped, aad), IntegrityError);
    await seal.close();
  });

  test('an untrusted service account is denied at once; a missing key is not found', async () => {
    const key = kms.createKey();
    const stranger = createGcpCkmsSeal(parseGcpCkmsSealConfig(options(idOf(key.name), { credentials: kms.serviceAccountFile(false) }), {}), { retry: FAST });
    const before = kms.calls.length;
    await assert.rejects(stranger.init(), (e: unknown) => e instanceof UpstreamError && e.message === 'gcpckms seal: access to the Cloud KMS key was denied (UNAUTHENTICATED)');
    assert.equal(kms.calls.length - before, 1);
    const missing = createGcpCkmsSeal(parseGcpCkmsSealConfig(options('nope'), {}), { retry: FAST });
    await assert.rejects(missing.init(), { message: 'gcpckms seal: the Cloud KMS key was not found (NOT_FOUND)' });
    await stranger.close();
    await missing.close();
  });
});

exerciseKmsSealScenarios({
  type: 'gcpckms',
  newKey: () => options(idOf(kms.createKey().name)),
  rotate: (o) => kms.rotate(kms.key(keyName(o))),
  setEnabled: (o, enabled) => kms.setEnabled(kms.key(keyName(o)), enabled),
  failNext: (kind, count) => kms.failNext(kind, count),
  clearFailures: () => kms.clearFailures(),
  stop: () => kms.stop(),
  start: () => kms.start(),
  messages: {
    throttled: /^gcpckms seal: Cloud KMS is throttling requests \(RESOURCE_EXHAUSTED\); gave up after 3 attempts$/,
    denied: /^gcpckms seal: access to the Cloud KMS key was denied \(PERMISSION_DENIED\)$/,
    disabled: /^gcpckms seal: the Cloud KMS key is disabled \(FAILED_PRECONDITION\)$/,
    network: /^gcpckms seal: cannot reach Cloud KMS \(ECONNREFUSED\); gave up after 3 attempts$/,
  },
});

const live = process.env.VAULT_GCPCKMS_SEAL_CRYPTO_KEY && process.env.VAULT_GCPCKMS_SEAL_KEY_RING && process.env.GOOGLE_PROJECT && process.env.GOOGLE_REGION &&
  (process.env.GOOGLE_CREDENTIALS || process.env.GOOGLE_APPLICATION_CREDENTIALS);
const liveSkip = live ? false
  : 'gcpckms live test: skipped (opt-in, also under CI): set GOOGLE_PROJECT, GOOGLE_REGION, VAULT_GCPCKMS_SEAL_KEY_RING, VAULT_GCPCKMS_SEAL_CRYPTO_KEY and GOOGLE_APPLICATION_CREDENTIALS to run it against real Cloud KMS';
liveSealRoundTrip('gcpckms live: real Cloud KMS encrypts and decrypts through the seal', liveSkip, () => createGcpCkmsSeal(parseGcpCkmsSealConfig({}, process.env)));
