import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createInmemStorage } from '../storage/inmem.js';
import { createAesGcmBarrier, openEntry, readRootKeyEntry } from './aes-gcm-barrier.js';
import { decodeEntry } from './entry-format.js';
import { decodeKeyring } from './keyring.js';

const fixture = JSON.parse(readFileSync(new URL('../../../test/vectors/barrier/v2-keyring-v1.json', import.meta.url), 'utf8'));
const rootKey = Buffer.from(fixture.root_key_hex, 'hex');
const keyringBlob = Buffer.from(fixture.keyring_blob_base64, 'base64');
const rootKeyBlob = Buffer.from(fixture.root_key_blob_base64, 'base64');
const entryBlob = Buffer.from(fixture.entry_blob_base64, 'base64');

test('golden keyring blob: term 0, version 2, decrypts with the root key to format_version 1', () => {
  const header = decodeEntry(keyringBlob);
  assert.equal(header.term, 0);
  assert.equal(header.version, 2);
  const plaintext = openEntry(keyringBlob, 'core/keyring', (t) => (t === 0 ? rootKey : undefined));
  const doc = JSON.parse(plaintext.toString('utf8'));
  assert.equal(doc.format_version, 1);
  assert.equal(doc.active_term, 1);
  assert.deepEqual(doc.rotation, { max_operations: 3865470566, interval_ms: 0, enabled: true });
  assert.equal(doc.terms[0].install_time, '2025-01-01T00:00:00.000Z');
  const ring = decodeKeyring(plaintext);
  assert.deepEqual(ring.rootKey, rootKey);
  assert.equal(ring.terms.get(1)?.key.toString('hex'), fixture.term1_key_hex);
});

test('golden entry blob: term 1, version 2, decrypts with the term key and its path', () => {
  const header = decodeEntry(entryBlob);
  assert.equal(header.term, 1);
  assert.equal(header.version, 2);
  const key = Buffer.from(fixture.term1_key_hex, 'hex');
  const plaintext = openEntry(entryBlob, fixture.entry_path, (t) => (t === 1 ? key : undefined));
  assert.equal(plaintext.toString('utf8'), fixture.entry_plaintext_utf8);
});

test('golden root-key blob decrypts with term 1 to the root key', async () => {
  const ring = decodeKeyring(openEntry(keyringBlob, 'core/keyring', () => rootKey));
  const storage = { get: async (k: string) => (k === fixture.root_key_path ? rootKeyBlob : undefined) };
  assert.deepEqual(await readRootKeyEntry(storage, ring), rootKey);
});

test('a barrier over the golden storage unseals and reads the entry', async () => {
  const storage = createInmemStorage();
  await storage.put(fixture.keyring_path, keyringBlob);
  await storage.put(fixture.root_key_path, rootKeyBlob);
  await storage.put(fixture.entry_path, entryBlob);
  const barrier = createAesGcmBarrier(storage);
  assert.equal(await barrier.initialized(), true);
  await barrier.unseal(rootKey);
  assert.equal((await barrier.get(fixture.entry_path))?.toString('utf8'), fixture.entry_plaintext_utf8);
  assert.equal(barrier.keyStatus().term, 1);
  assert.deepEqual(barrier.keyStatus().installTime, new Date('2025-01-01T00:00:00.000Z'));
});
