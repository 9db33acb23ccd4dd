import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { decodeBatchToken, encodeBatchToken, type BatchPayload } from './batch.js';

const payload: BatchPayload = {
  v: 1, parent: '', policies: ['default', 'ops'], path: 'auth/token/create', meta: { app: 'x' },
  displayName: 'token', creationTime: 1_700_000_000, ttl: 600, entityId: '', boundCidrs: [],
};

test('batch tokens round-trip and carry the hvb. prefix', () => {
  const key = randomBytes(32);
  const id = encodeBatchToken(key, payload);
  assert.ok(id.startsWith('hvb.'));
  assert.deepEqual(decodeBatchToken(key, id), payload);
});

test('a batch token does not decode under another key, or with any byte flipped, or truncated', () => {
  const key = randomBytes(32);
  const id = encodeBatchToken(key, payload);
  assert.equal(decodeBatchToken(randomBytes(32), id), undefined);
  const blob = Buffer.from(id.slice(4), 'base64url');
  for (let i = 0; i < blob.length; i++) {
    const tampered = Buffer.from(blob);
    tampered[i] ^= 0x01;
    assert.equal(decodeBatchToken(key, `hvb.${tampered.toString('base64url')}`), undefined, `byte ${i}`);
  }
  assert.equal(decodeBatchToken(key, `hvb.${blob.subarray(0, 20).toString('base64url')}`), undefined);
  assert.equal(decodeBatchToken(key, 'hvb.!!!'), undefined);
  assert.equal(decodeBatchToken(key, 'hvs.abc'), undefined);
});
