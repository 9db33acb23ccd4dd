/**
 * The transit seal against a real in-process dev server ("A") serving the transit engine.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { IntegrityError, InvalidRequest, UpstreamError } from '../../errors.js';
import { startDevServer, type DevServer } from '../../../test/support/server.js';
import { decodeWrapperBlob, encodeWrapperBlob } from '../wrapper-blob.js';
import { parseTransitSealConfig } from './config.js';
import { createTransitSeal, TRANSIT_MECHANISM } from './seal.js';

let a: DevServer;
let sealToken: string;

const policy = `
path "transit/encrypt/unseal" { capabilities = ["update"] }
path "transit/decrypt/unseal" { capabilities = ["update"] }
`;

before(async () => {
  a = await startDevServer();
  assert.equal((await a.api.call('POST', 'sys/mounts/transit', { type: 'transit' })).status, 204);
  assert.equal((await a.api.call('POST', 'transit/keys/unseal', {})).status, 200);
  assert.equal((await a.api.call('PUT', 'sys/policies/acl/autounseal', { policy })).status, 204);
  const created = await a.api.call('POST', 'auth/token/create', { policies: ['autounseal'], ttl: '1h' });
  assert.equal(created.status, 200, created.text);
  sealToken = created.json.auth.client_token;
});
after(async () => { await a.close(); });

const configFor = (overrides: Record<string, string> = {}) => parseTransitSealConfig({
  address: a.server.addresses[0], token: sealToken, mount_path: 'transit/', key_name: 'unseal', ...overrides,
}, {});

test('wraps and unwraps with AAD; key id names the remote key version; tampering is one IntegrityError', async () => {
  const seal = createTransitSeal(configFor());
  await seal.init();
  const w = seal.wrapper();
  const aad = Buffer.from('core/hsm/barrier-unseal-keys');
  const blob = await w.encrypt(Buffer.from('root key bytes'), aad);
  const parsed = decodeWrapperBlob(blob);
  assert.equal(parsed.keyId, 'transit/unseal:v1');
  assert.equal(parsed.mechanism, TRANSIT_MECHANISM);
  assert.match(parsed.ciphertext.toString('utf8'), /^vault:v1:/);
  assert.equal(Buffer.from(await w.decrypt(blob, aad)).toString(), 'root key bytes');
  await assert.rejects(w.decrypt(blob, Buffer.from('other/path')), IntegrityError);
  await assert.rejects(w.decrypt(blob), IntegrityError);
  const flipped = Buffer.from(blob);
  flipped[flipped.length - 3] ^= 0x01;
  await assert.rejects(w.decrypt(flipped, aad), IntegrityError);
  const wrongMechanism = encodeWrapperBlob({ ...parsed, mechanism: 1 });
  await assert.rejects(w.decrypt(wrongMechanism, aad), IntegrityError);

  // A rotated remote key: new blobs carry v2, old blobs still open.
  assert.equal((await a.api.call('POST', 'transit/keys/unseal/rotate')).status, 200);
  const fresh = await w.encrypt(Buffer.from('x'), aad);
  assert.equal(seal.keyIdOf(fresh), 'transit/unseal:v2');
  assert.equal(seal.currentKeyId(), 'transit/unseal:v2');
  assert.equal(Buffer.from(await w.decrypt(blob, aad)).toString(), 'root key bytes');
  await seal.close();
  assert.throws(() => seal.wrapper());
});

test('unreachable remote, denied token and missing key are UpstreamErrors that say so', async () => {
  const down = createTransitSeal(configFor({ address: 'http://127.0.0.1:1' }));
  await assert.rejects(down.init(), (e: unknown) => e instanceof UpstreamError && /cannot reach http:\/\/127\.0\.0\.1:1: ECONNREFUSED/.test(e.message));
  const denied = createTransitSeal(configFor({ token: 'hvs.not-a-token' }));
  await assert.rejects(denied.init(), (e: unknown) => e instanceof UpstreamError && /answered 403/.test(e.message));
  const missing = createTransitSeal(configFor({ key_name: 'nope' }));
  await assert.rejects(missing.init(), (e: unknown) => e instanceof UpstreamError && /answered 403/.test(e.message));
});

test('the seal renews a renewable token before it expires', async () => {
  const created = await a.api.call('POST', 'auth/token/create', { policies: ['autounseal', 'default'], ttl: '3s', explicit_max_ttl: '1h' });
  const token = created.json.auth.client_token;
  const seal = createTransitSeal(configFor({ token }));
  await seal.init();
  const deadline = Date.now() + 15_000;
  while (seal.renewals() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.ok(seal.renewals() >= 3, 'renewed at least three times');
  // Well past the original 3 s TTL, the token still works.
  assert.equal((await seal.wrapper().decrypt(await seal.wrapper().encrypt(Buffer.from('k')))).toString(), 'k');
  await seal.close();

  const quiet = createTransitSeal(configFor({ token, disable_renewal: 'true' }));
  await quiet.init();
  await new Promise((r) => setTimeout(r, 1600));
  assert.equal(quiet.renewals(), 0);
  await quiet.close();
});

test('config: stanza wins over ARCA_ over VAULT_TRANSIT_SEAL_ over client variables; required values and booleans checked', () => {
  const env = {
    ARCA_TRANSIT_SEAL_KEY_NAME: 'arca-key',
    VAULT_TRANSIT_SEAL_KEY_NAME: 'vault-key',
    VAULT_TRANSIT_SEAL_MOUNT_PATH: '/transit-a/',
    VAULT_ADDR: 'https://a.example:8200/',
    VAULT_TOKEN: 'env-token',
    VAULT_NAMESPACE: 'ns1',
    VAULT_SKIP_VERIFY: 'true',
    VAULT_CACERT: '/ca.pem',
  };
  const files: Record<string, string> = { '/ca.pem': 'CA PEM' };
  const c = parseTransitSealConfig({ token: 'stanza-token' }, env, (p) => files[p] ?? (() => { throw new Error('no'); })());
  assert.equal(c.address, 'https://a.example:8200');
  assert.equal(c.token, 'stanza-token');
  assert.equal(c.keyName, 'arca-key');
  assert.equal(c.mountPath, 'transit-a');
  assert.equal(c.namespace, 'ns1');
  assert.equal(c.tls.skipVerify, true);
  assert.equal(c.tls.ca, 'CA PEM');
  assert.equal(c.disableRenewal, false);
  assert.throws(() => parseTransitSealConfig({}, {}), (e: unknown) => e instanceof InvalidRequest && e.message === 'seal "transit": missing address');
  assert.throws(() => parseTransitSealConfig({ address: 'http://a', token: 't', mount_path: 'transit', key_name: 'k', disable_renewal: 'maybe' }, {}), InvalidRequest);
  assert.throws(() => parseTransitSealConfig({ address: 'ftp://a', token: 't', mount_path: 'transit', key_name: 'k' }, {}), InvalidRequest);
  assert.throws(() => parseTransitSealConfig({ address: 'http://a', token: 't', mount_path: 'transit', key_name: 'k', colour: 'x' }, {}), { message: 'seal "transit": unknown parameter "colour"' });
  assert.throws(() => parseTransitSealConfig({ address: 'http://a', token: 't', mount_path: 'transit', key_name: 'k', tls_ca_cert: '/missing' }, {}, () => { throw new Error('ENOENT'); }), { message: 'seal "transit": cannot read tls_ca_cert file' });
});
