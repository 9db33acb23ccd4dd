import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StorageError } from '../errors.js';
import { activeKey, addTerm, decodeKeyring, DEFAULT_MAX_OPERATIONS, encodeKeyring, newKeyring, zeroKeyring } from './keyring.js';

const t0 = new Date('2024-01-02T03:04:05.000Z');
const root = Buffer.alloc(32, 1);
const k1 = Buffer.alloc(32, 2);

test('a new keyring has term 1 active and Vault default rotation', () => {
  const ring = newKeyring(root, k1, t0);
  assert.equal(ring.activeTerm, 1);
  assert.deepEqual(ring.rotation, { maxOperations: DEFAULT_MAX_OPERATIONS, intervalMs: 0, enabled: true });
  assert.equal(DEFAULT_MAX_OPERATIONS, 3_865_470_566);
});

test('JSON layout is versioned and round-trips', () => {
  const ring = newKeyring(root, k1, t0);
  addTerm(ring, Buffer.alloc(32, 3), new Date('2024-02-01T00:00:00.000Z')).encryptions = 5;
  const bytes = encodeKeyring(ring);
  const doc = JSON.parse(bytes.toString('utf8'));
  assert.deepEqual(doc, {
    format_version: 1,
    root_key: root.toString('base64'),
    active_term: 2,
    terms: [
      { term: 1, key: k1.toString('base64'), install_time: '2024-01-02T03:04:05.000Z', encryptions: 0 },
      { term: 2, key: Buffer.alloc(32, 3).toString('base64'), install_time: '2024-02-01T00:00:00.000Z', encryptions: 5 },
    ],
    rotation: { max_operations: DEFAULT_MAX_OPERATIONS, interval_ms: 0, enabled: true },
  });
  const back = decodeKeyring(bytes);
  assert.equal(back.activeTerm, 2);
  assert.deepEqual(back.rootKey, root);
  assert.deepEqual(activeKey(back).key, Buffer.alloc(32, 3));
  assert.equal(activeKey(back).encryptions, 5);
  assert.deepEqual(back.terms.get(1)?.installTime, t0);
});

test('zeroKeyring zeroes the root key and every term key', () => {
  const ring = newKeyring(root, k1, t0);
  addTerm(ring, Buffer.alloc(32, 3), t0);
  zeroKeyring(ring);
  assert.deepEqual(ring.rootKey, Buffer.alloc(32));
  for (const t of ring.terms.values()) assert.deepEqual(t.key, Buffer.alloc(32));
  // the caller's buffers were copied, not adopted
  assert.deepEqual(root, Buffer.alloc(32, 1));
});

test('malformed and unknown-version keyrings are StorageError', () => {
  const good = JSON.parse(encodeKeyring(newKeyring(root, k1, t0)).toString('utf8'));
  const bad = (mut: (d: any) => void) => {
    const d = structuredClone(good);
    mut(d);
    return Buffer.from(JSON.stringify(d));
  };
  assert.throws(() => decodeKeyring(Buffer.from('not json')), StorageError);
  assert.throws(() => decodeKeyring(bad((d) => { d.format_version = 2; })), /format version is not supported/);
  assert.throws(() => decodeKeyring(bad((d) => { delete d.format_version; })), StorageError);
  assert.throws(() => decodeKeyring(bad((d) => { d.active_term = 9; })), StorageError);
  assert.throws(() => decodeKeyring(bad((d) => { d.terms[0].key = Buffer.alloc(16).toString('base64'); })), StorageError);
  assert.throws(() => decodeKeyring(bad((d) => { d.terms.push(d.terms[0]); })), StorageError);
  assert.throws(() => decodeKeyring(bad((d) => { d.terms[0].install_time = 'yesterday'; })), StorageError);
  assert.throws(() => decodeKeyring(bad((d) => { d.terms[0].encryptions = -1; })), StorageError);
  assert.throws(() => decodeKeyring(bad((d) => { d.terms = []; })), StorageError);
  assert.throws(() => decodeKeyring(bad((d) => { d.rotation.enabled = 'yes'; })), StorageError);
});
