/**
 * The transit engine over HTTP against a real dev server: keys CRUD for every type, batch
 * operations with per-item errors, version rules, export checked by `openssl`, backup/restore,
 * and the utilities (random, hash, cache-config).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, type DevServer } from './support/server.js';
import { createKey } from '../src/engines/transit/keyring.js';
import { encodeBackup } from '../src/engines/transit/key-codec.js';

let dev: DevServer;
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const call = (method: string, path: string, body?: unknown) => dev.api.call(method, path, body);

before(async () => {
  dev = await startDevServer();
  assert.equal((await call('POST', 'sys/mounts/transit', { type: 'transit' })).status, 204);
});
after(async () => { await dev.close(); });

test('keys: create every type, read, list, delete only when allowed', async () => {
  const types = ['aes128-gcm96', 'aes256-gcm96', 'chacha20-poly1305', 'ed25519', 'ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'rsa-2048', 'hmac'];
  for (const type of types) {
    const res = await call('POST', `transit/keys/t-${type}`, { type });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.type, type);
    assert.equal(res.json.data.latest_version, 1);
  }
  const aes = await call('GET', 'transit/keys/t-aes256-gcm96');
  assert.equal(aes.json.data.supports_encryption, true);
  assert.equal(typeof aes.json.data.keys['1'], 'number');
  const ec = await call('GET', 'transit/keys/t-ecdsa-p256');
  assert.match(ec.json.data.keys['1'].public_key, /^-----BEGIN PUBLIC KEY-----/);
  assert.equal(ec.json.data.keys['1'].name, 'P-256');
  const list = await call('LIST', 'transit/keys');
  assert.deepEqual(list.json.data.keys, types.map((t) => `t-${t}`).sort());
  assert.equal((await call('POST', 'transit/keys/bad', { type: 'des' })).status, 400);
  assert.equal((await call('GET', 'transit/keys/missing')).status, 404);

  const refused = await call('DELETE', 'transit/keys/t-hmac');
  assert.equal(refused.status, 400);
  assert.deepEqual(refused.json.errors, ['deletion is not allowed for this key']);
  assert.equal((await call('POST', 'transit/keys/t-hmac/config', { deletion_allowed: true })).status, 200);
  assert.equal((await call('DELETE', 'transit/keys/t-hmac')).status, 204);
  assert.equal((await call('GET', 'transit/keys/t-hmac')).status, 404);
});

test('encrypt/decrypt/rewrap, single and batch with per-item errors', async () => {
  await call('POST', 'transit/keys/app', {});
  const enc = await call('POST', 'transit/encrypt/app', { plaintext: b64('hello') });
  assert.equal(enc.status, 200);
  assert.match(enc.json.data.ciphertext, /^vault:v1:/);
  assert.equal(enc.json.data.key_version, 1);
  const dec = await call('POST', 'transit/decrypt/app', { ciphertext: enc.json.data.ciphertext });
  assert.equal(Buffer.from(dec.json.data.plaintext, 'base64').toString(), 'hello');

  const batch = await call('POST', 'transit/encrypt/app', {
    batch_input: [{ plaintext: b64('a'), reference: 'r1' }, { plaintext: 'not base64!' , reference: 'r2' }, { plaintext: b64('c') }],
  });
  assert.equal(batch.status, 400);
  const results = batch.json.data.batch_results;
  assert.equal(results.length, 3);
  assert.match(results[0].ciphertext, /^vault:v1:/);
  assert.equal(results[0].reference, 'r1');
  assert.deepEqual(results[1], { error: 'failed to base64-decode plaintext', reference: 'r2' });
  assert.match(results[2].ciphertext, /^vault:v1:/);
  const partial = await call('POST', 'transit/encrypt/app', {
    batch_input: [{ plaintext: b64('a') }, { plaintext: '%%' }], partial_failure_response_code: 207,
  });
  assert.equal(partial.status, 207);

  const decBatch = await call('POST', 'transit/decrypt/app', {
    batch_input: [{ ciphertext: results[0].ciphertext }, { ciphertext: 'vault:v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, { ciphertext: 'garbage' }, { ciphertext: results[2].ciphertext }],
  });
  assert.equal(decBatch.status, 400);
  const d = decBatch.json.data.batch_results;
  assert.equal(Buffer.from(d[0].plaintext, 'base64').toString(), 'a');
  assert.equal(d[1].error, 'invalid ciphertext: unable to decrypt');
  assert.equal(d[2].error, 'invalid ciphertext: no prefix');
  assert.equal(Buffer.from(d[3].plaintext, 'base64').toString(), 'c');

  assert.equal((await call('POST', 'transit/keys/app/rotate')).json.data.latest_version, 2);
  const rewrap = await call('POST', 'transit/rewrap/app', { ciphertext: enc.json.data.ciphertext });
  assert.match(rewrap.json.data.ciphertext, /^vault:v2:/);
  assert.equal(rewrap.json.data.key_version, 2);
  const rewrapBatch = await call('POST', 'transit/rewrap/app', { batch_input: [{ ciphertext: enc.json.data.ciphertext }] });
  assert.equal(rewrapBatch.status, 200);
  assert.match(rewrapBatch.json.data.batch_results[0].ciphertext, /^vault:v2:/);

  // min_decryption_version refuses the v1 ciphertext; the rewrapped one still decrypts.
  assert.equal((await call('POST', 'transit/keys/app/config', { min_decryption_version: 2 })).status, 200);
  const old = await call('POST', 'transit/decrypt/app', { ciphertext: enc.json.data.ciphertext });
  assert.equal(old.status, 400);
  assert.deepEqual(old.json.errors, ['ciphertext or signature version is disallowed by policy (too old)']);
  assert.equal((await call('POST', 'transit/decrypt/app', { ciphertext: rewrap.json.data.ciphertext })).status, 200);

  const trim = await call('POST', 'transit/keys/app/trim', { min_available_version: 2 });
  assert.equal(trim.status, 200, trim.text);
  assert.deepEqual(Object.keys(trim.json.data.keys), ['2']);
  assert.equal(trim.json.data.min_available_version, 2);
});

test('encrypt upserts a missing key; nonce is refused unless derived by the key (CVE regression)', async () => {
  const res = await call('POST', 'transit/encrypt/upserted', { plaintext: b64('x') });
  assert.equal(res.status, 200);
  assert.equal((await call('GET', 'transit/keys/upserted')).json.data.type, 'aes256-gcm96');
  const nonce = await call('POST', 'transit/encrypt/upserted', { plaintext: b64('x'), nonce: b64(Buffer.alloc(12)) });
  assert.equal(nonce.status, 400);
  assert.deepEqual(nonce.json.errors, ['nonce provided when not allowed']);

  await call('POST', 'transit/keys/conv', { derived: true, convergent_encryption: true });
  const ctx = b64('tenant');
  const one = await call('POST', 'transit/encrypt/conv', { plaintext: b64('same'), context: ctx });
  const two = await call('POST', 'transit/encrypt/conv', { plaintext: b64('same'), context: ctx });
  assert.equal(one.json.data.ciphertext, two.json.data.ciphertext);
  const noCtx = await call('POST', 'transit/encrypt/conv', { plaintext: b64('same') });
  assert.equal(noCtx.status, 400);
  assert.match(noCtx.json.errors[0], /missing 'context' for key derivation/);
  const read = await call('GET', 'transit/keys/conv');
  assert.equal(read.json.data.convergent_encryption_version, 3);
  assert.equal(read.json.data.kdf, 'hkdf_sha256');
});

test('datakey plaintext and wrapped', async () => {
  await call('POST', 'transit/keys/dk', {});
  const plain = await call('POST', 'transit/datakey/plaintext/dk', { bits: 512 });
  assert.equal(Buffer.from(plain.json.data.plaintext, 'base64').length, 64);
  const unwrapped = await call('POST', 'transit/decrypt/dk', { ciphertext: plain.json.data.ciphertext });
  assert.equal(unwrapped.json.data.plaintext, plain.json.data.plaintext);
  const wrapped = await call('POST', 'transit/datakey/wrapped/dk', {});
  assert.equal(wrapped.json.data.plaintext, undefined);
  assert.match(wrapped.json.data.ciphertext, /^vault:v1:/);
  assert.equal((await call('POST', 'transit/datakey/plaintext/dk', { bits: 100 })).status, 400);
  assert.equal((await call('POST', 'transit/datakey/other/dk', {})).status, 400);
});

test('sign/verify with URL hash, batch, and node:crypto verification; hmac and hmac verify', async () => {
  await call('POST', 'transit/keys/signer', { type: 'ecdsa-p384' });
  const input = b64('message');
  const sig = await call('POST', 'transit/sign/signer/sha2-512', { input });
  assert.equal(sig.status, 200, sig.text);
  const pem = (await call('GET', 'transit/keys/signer')).json.data.keys['1'].public_key;
  assert.equal(verify('sha512', Buffer.from('message'), createPublicKey(pem), Buffer.from(sig.json.data.signature.split(':')[2], 'base64')), true);
  assert.equal((await call('POST', 'transit/verify/signer/sha2-512', { input, signature: sig.json.data.signature })).json.data.valid, true);
  assert.equal((await call('POST', 'transit/verify/signer', { input, signature: sig.json.data.signature })).json.data.valid, false);

  const batch = await call('POST', 'transit/sign/signer', { batch_input: [{ input }, { input: '***' }] });
  assert.equal(batch.status, 400);
  assert.match(batch.json.data.batch_results[0].signature, /^vault:v1:/);
  assert.equal(batch.json.data.batch_results[1].error, 'failed to base64-decode input');
  const vb = await call('POST', 'transit/verify/signer', { batch_input: [{ input, signature: batch.json.data.batch_results[0].signature }, { input: b64('x'), signature: batch.json.data.batch_results[0].signature }] });
  assert.deepEqual(vb.json.data.batch_results.map((r: { valid: boolean }) => r.valid), [true, false]);

  assert.equal((await call('POST', 'transit/sign/app-nope', { input })).status, 400);
  await call('POST', 'transit/keys/aesonly', {});
  assert.equal((await call('POST', 'transit/sign/aesonly', { input })).status, 400);

  const mac = await call('POST', 'transit/hmac/aesonly/sha2-384', { input });
  assert.match(mac.json.data.hmac, /^vault:v1:/);
  assert.equal(Buffer.from(mac.json.data.hmac.split(':')[2], 'base64').length, 48);
  assert.equal((await call('POST', 'transit/verify/aesonly/sha2-384', { input, hmac: mac.json.data.hmac })).json.data.valid, true);
  assert.equal((await call('POST', 'transit/verify/aesonly', { input, hmac: mac.json.data.hmac })).json.data.valid, false);
});

test('HMAC RFC 4231 test case 6 through a restored (imported) hmac key and its export', async () => {
  const key = await createKey({ name: 'rfc4231', type: 'hmac', exportable: true, allowPlaintextBackup: true }, async (n) => randomBytes(n));
  key.versions.get(1)!.material.raw = Buffer.alloc(131, 0xaa);
  assert.equal((await call('POST', 'transit/restore', { backup: encodeBackup(key) })).status, 204);
  const mac = await call('POST', 'transit/hmac/rfc4231', { input: b64('Test Using Larger Than Block-Size Key - Hash Key First') });
  assert.equal(Buffer.from(mac.json.data.hmac.split(':')[2], 'base64').toString('hex'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  const exported = await call('GET', 'transit/export/hmac-key/rfc4231/1');
  assert.equal(exported.json.data.keys['1'], Buffer.alloc(131, 0xaa).toString('base64'));
  const again = await call('POST', 'transit/restore', { backup: encodeBackup(key) });
  assert.equal(again.status, 400);
  assert.equal((await call('POST', 'transit/restore/rfc-copy', { backup: encodeBackup(key) })).status, 204);
  assert.equal((await call('GET', 'transit/keys/rfc-copy')).json.data.restore_info.version, 1);
});

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('exported keys are readable by openssl and match the published public keys', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'transit-export-'));
  assert.equal((await call('GET', 'transit/export/signing-key/t-ecdsa-p256')).status, 400);
  for (const type of ['ecdsa-p256', 'ecdsa-p521', 'rsa-2048', 'ed25519']) {
    const name = `exp-${type}`;
    await call('POST', `transit/keys/${name}`, { type, exportable: true });
    const priv = (await call('GET', `transit/export/signing-key/${name}/latest`)).json.data.keys['1'];
    const pub = (await call('GET', `transit/export/public-key/${name}`)).json.data.keys['1'];
    let privPem = priv as string;
    if (type === 'ed25519') {
      // Vault's ed25519 export is base64(seed ‖ public); wrap the seed as PKCS#8 for openssl.
      const seed = Buffer.from(priv, 'base64').subarray(0, 32);
      const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
      privPem = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64')}\n-----END PRIVATE KEY-----\n`;
    } else {
      assert.match(privPem, type.startsWith('rsa') ? /^-----BEGIN RSA PRIVATE KEY-----/ : /^-----BEGIN EC PRIVATE KEY-----/);
    }
    const file = join(dir, `${type}.pem`);
    writeFileSync(file, privPem);
    openssl(['pkey', '-in', file, '-noout']);
    const derivedPub = openssl(['pkey', '-in', file, '-pubout']);
    if (type === 'ed25519') {
      const raw = createPublicKey(derivedPub).export({ format: 'jwk' }).x!;
      assert.equal(Buffer.from(raw, 'base64url').toString('base64'), pub);
    } else {
      assert.equal(derivedPub.trim(), pub.trim());
      const pubFile = join(dir, `${type}.pub.pem`);
      writeFileSync(pubFile, pub);
      openssl(['pkey', '-pubin', '-in', pubFile, '-noout']);
    }
  }
});

test('backup requires exportable and allow_plaintext_backup; random, hash and cache-config', async () => {
  await call('POST', 'transit/keys/nb', { exportable: true });
  const refused = await call('GET', 'transit/backup/nb');
  assert.deepEqual(refused.json.errors, ['plaintext backup is disallowed on the policy']);
  await call('POST', 'transit/keys/nb/config', { allow_plaintext_backup: true });
  const backup = await call('GET', 'transit/backup/nb');
  assert.equal(backup.status, 200);
  const enc = await call('POST', 'transit/encrypt/nb', { plaintext: b64('keep') });
  await call('POST', 'transit/keys/nb/config', { deletion_allowed: true });
  await call('DELETE', 'transit/keys/nb');
  assert.equal((await call('POST', 'transit/restore', { backup: backup.json.data.backup })).status, 204);
  const dec = await call('POST', 'transit/decrypt/nb', { ciphertext: enc.json.data.ciphertext });
  assert.equal(Buffer.from(dec.json.data.plaintext, 'base64').toString(), 'keep');

  assert.equal(Buffer.from((await call('POST', 'transit/random', {})).json.data.random_bytes, 'base64').length, 32);
  assert.match((await call('POST', 'transit/random/16', { format: 'hex' })).json.data.random_bytes, /^[0-9a-f]{32}$/);
  assert.equal(Buffer.from((await call('POST', 'transit/random/all/24', {})).json.data.random_bytes, 'base64').length, 24);
  assert.equal((await call('POST', 'transit/random/moon', {})).status, 400);
  assert.equal((await call('POST', 'transit/random', { bytes: 200000 })).status, 400);

  // FIPS 180-2 "abc" vectors.
  assert.equal((await call('POST', 'transit/hash', { input: b64('abc') })).json.data.sum, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal((await call('POST', 'transit/hash/sha3-256', { input: b64('abc') })).json.data.sum, '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
  assert.equal((await call('POST', 'transit/hash/md5', { input: b64('abc') })).status, 400);

  assert.equal((await call('GET', 'transit/cache-config')).json.data.size, 0);
  assert.equal((await call('POST', 'transit/cache-config', { size: 5 })).status, 400);
  assert.equal((await call('POST', 'transit/cache-config', { size: 20 })).status, 200);
  assert.equal((await call('GET', 'transit/cache-config')).json.data.size, 20);
});
