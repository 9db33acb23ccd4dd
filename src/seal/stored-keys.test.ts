import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { IntegrityError, InvalidRequest, StorageError } from '../errors.js';
import { createInmemStorage } from '../storage/inmem.js';
import { createShamirSeal } from './shamir.js';
import {
  readRecoveryKey, readSealConfig, readStoredRootKey, writeRecoveryKey, writeSealConfig, writeStoredRootKey,
} from './stored-keys.js';
import type { SealConfig } from './types.js';

function unsealedSeal(byte = 0x42) {
  const seal = createShamirSeal();
  seal.setUnsealKey(Buffer.alloc(32, byte));
  return seal;
}

const config: SealConfig = { type: 'shamir', secret_shares: 5, secret_threshold: 3, nonce: 'abc' };

test('seal and recovery configs are stored as versioned plaintext JSON at their paths', async () => {
  const storage = createInmemStorage();
  assert.equal(await readSealConfig(storage, 'seal'), undefined);
  await writeSealConfig(storage, 'seal', config);
  await writeSealConfig(storage, 'recovery', { ...config, secret_shares: 1, secret_threshold: 1 });
  assert.deepEqual(JSON.parse((await storage.get('core/seal-config'))!.toString()), { format_version: 1, ...config });
  assert.deepEqual(await readSealConfig(storage, 'seal'), config);
  assert.equal((await readSealConfig(storage, 'recovery'))?.secret_shares, 1);
  assert.ok(await storage.get('core/recovery-config'));
});

test('writing an invalid config is InvalidRequest with Vault messages', async () => {
  const storage = createInmemStorage();
  await assert.rejects(writeSealConfig(storage, 'seal', { ...config, secret_threshold: 1 }), {
    message: 'threshold must be greater than one for multiple shares',
  });
  await assert.rejects(writeSealConfig(storage, 'seal', { ...config, secret_threshold: 6 }), InvalidRequest);
  await assert.rejects(writeSealConfig(storage, 'seal', { ...config, type: 'nope' as SealConfig['type'] }), StorageError);
});

test('malformed or unknown-version configs are StorageError', async () => {
  const storage = createInmemStorage();
  for (const raw of ['not json', '[]', '{"type":"shamir","secret_shares":1,"secret_threshold":1,"nonce":""}',
    '{"format_version":2,"type":"shamir","secret_shares":1,"secret_threshold":1,"nonce":""}',
    '{"format_version":1,"type":"shamir","secret_shares":3,"secret_threshold":1,"nonce":""}',
    '{"format_version":1,"type":"shamir","secret_shares":"3","secret_threshold":2,"nonce":""}']) {
    await storage.put('core/seal-config', Buffer.from(raw));
    await assert.rejects(readSealConfig(storage, 'seal'), StorageError, raw);
  }
});

test('stored root key: wrapped at core/hsm/barrier-unseal-keys, read back with the same KEK', async () => {
  const storage = createInmemStorage();
  const seal = unsealedSeal();
  assert.equal(await readStoredRootKey(storage, seal.wrapper()), undefined);
  const rootKey = Buffer.alloc(32, 7);
  await writeStoredRootKey(storage, seal.wrapper(), rootKey);
  const raw = (await storage.get('core/hsm/barrier-unseal-keys'))!;
  assert.equal(raw.includes(rootKey), false);
  assert.deepEqual(await readStoredRootKey(storage, seal.wrapper()), rootKey);
  await assert.rejects(readStoredRootKey(storage, unsealedSeal(0x43).wrapper()), IntegrityError);
  await assert.rejects(writeStoredRootKey(storage, seal.wrapper(), Buffer.alloc(16)), StorageError);
});

test('the path is the AAD: the root-key blob moved to core/recovery-key does not decrypt', async () => {
  const storage = createInmemStorage();
  const seal = unsealedSeal();
  await writeStoredRootKey(storage, seal.wrapper(), Buffer.alloc(32, 7));
  await storage.put('core/recovery-key', (await storage.get('core/hsm/barrier-unseal-keys'))!);
  await assert.rejects(readRecoveryKey(storage, seal.wrapper()), IntegrityError);
});

test('recovery key round trip at core/recovery-key', async () => {
  const storage = createInmemStorage();
  const seal = unsealedSeal();
  assert.equal(await readRecoveryKey(storage, seal.wrapper()), undefined);
  await writeRecoveryKey(storage, seal.wrapper(), Buffer.alloc(32, 9));
  assert.deepEqual(await readRecoveryKey(storage, seal.wrapper()), Buffer.alloc(32, 9));
});

test('a stored-key plaintext with an unknown version is IntegrityError', async () => {
  const storage = createInmemStorage();
  const seal = unsealedSeal();
  const path = 'core/hsm/barrier-unseal-keys';
  const blob = await seal.wrapper().encrypt(Buffer.concat([Buffer.from([0x02]), Buffer.alloc(32, 7)]), Buffer.from(path));
  await storage.put(path, Buffer.from(blob));
  await assert.rejects(readStoredRootKey(storage, seal.wrapper()), IntegrityError);
});

test('golden fixture: stored root key blob and seal config from version 1 still decode', async () => {
  const fixture = JSON.parse(readFileSync(new URL('../../../test/vectors/seal/shamir-wrapper-v1.json', import.meta.url), 'utf8'));
  const storage = createInmemStorage();
  await storage.put(fixture.stored_root_key_path, Buffer.from(fixture.stored_root_key_blob_base64, 'base64'));
  await storage.put(fixture.seal_config_path, Buffer.from(fixture.seal_config_utf8, 'utf8'));
  const seal = createShamirSeal();
  seal.setUnsealKey(Buffer.from(fixture.kek_hex, 'hex'));
  assert.equal((await readStoredRootKey(storage, seal.wrapper()))?.toString('hex'), fixture.root_key_hex);
  assert.deepEqual(await readSealConfig(storage, 'seal'), {
    type: 'shamir', secret_shares: 5, secret_threshold: 3, nonce: '0f7e2c1a-0000-4000-8000-000000000001',
  });
});
