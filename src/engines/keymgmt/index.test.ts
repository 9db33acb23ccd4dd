/**
 * The keymgmt backend's paths: every sample request reaches exactly the intended pattern (no two
 * patterns tie), and only key material and provider credentials are seal-wrapped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { pathListMatches } from '../../framework/backend.js';
import { compilePattern, matchPattern } from '../../framework/pattern.js';
import { keymgmtBackend, keymgmtDeps } from './index.js';

const backend = keymgmtBackend(keymgmtDeps({
  storage: { get: async () => undefined, put: async () => {}, delete: async () => {}, list: async () => [] },
  system: { randomBytes: async (n) => randomBytes(n), defaultLeaseTtl: () => 0, maxLeaseTtl: () => 0 },
}));

test('each sample path matches one best pattern', () => {
  const samples: Record<string, string> = {
    'key/': 'key/', 'key/k': 'key/:name', 'key/rotate': 'key/:name', 'key/k/rotate': 'key/:name/rotate',
    'key/k/kms': 'key/:name/kms', 'key/k/kms/': 'key/:name/kms/', 'key/kms': 'key/:name',
    'kms/': 'kms/', 'kms/aws': 'kms/:name', 'kms/key': 'kms/:name', 'kms/aws/key/': 'kms/:name/key/',
    'kms/aws/key/k': 'kms/:name/key/:key_name', 'kms/aws/key/rotate': 'kms/:name/key/:key_name',
    'kms/aws/key/k/rotate': 'kms/:name/key/:key_name/rotate',
  };
  const compiled = backend.paths.map((p) => compilePattern(p.pattern));
  for (const [sample, expected] of Object.entries(samples)) {
    const hits = compiled.filter((c) => matchPattern(c, sample));
    const best = Math.max(...hits.map((h) => h.literalSegments));
    const winners = hits.filter((h) => h.literalSegments === best).map((h) => h.source);
    assert.deepEqual(winners, [expected], sample);
  }
  for (const unmatched of ['keys/k', 'key/k/versions', 'kms/aws/keys/k', 'kms/aws/key/k/rotate/now']) {
    assert.equal(compiled.some((c) => matchPattern(c, unmatched)), false, unmatched);
  }
});

test('seal wrap covers keys and providers, not distribution records', () => {
  for (const p of ['key/k', 'kms/aws']) assert.ok(pathListMatches(backend.sealWrapStorage, p), p);
  assert.ok(!pathListMatches(backend.sealWrapStorage, 'distribution/aws/k'));
});
