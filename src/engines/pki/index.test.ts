import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pathListMatches } from '../../framework/backend.js';
import { compilePattern, matchPattern } from '../../framework/pattern.js';
import { createPkiBackend } from './index.js';

describe('pki backend declaration', () => {
  it('seal-wraps the CA key entries and leaves only public endpoints unauthenticated', () => {
    const storage = { get: async () => undefined, put: async () => {}, delete: async () => {}, list: async () => [] };
    const system = { defaultLeaseTtl: () => 3600, maxLeaseTtl: () => 7200, randomBytes: async (n: number) => Buffer.alloc(n) };
    const backend = createPkiBackend({ storage, system });
    assert.equal(pathListMatches(backend.sealWrapStorage, 'config/ca_bundle'), true);
    assert.equal(pathListMatches(backend.sealWrapStorage, 'config/pending_key'), true);
    for (const open of ['ca', 'ca/pem', 'ca_chain', 'crl', 'crl/pem', 'ocsp', 'ocsp/MEIw', 'cert/01:02']) {
      assert.equal(pathListMatches(backend.unauthenticatedPaths, open), true, open);
    }
    for (const closed of ['issue/web', 'sign/web', 'roles/web', 'revoke', 'root/generate/internal', 'tidy', 'certs/']) {
      assert.equal(pathListMatches(backend.unauthenticatedPaths, closed), false, closed);
    }
    assert.ok(backend.secrets?.pki);
  });

  it('routes every sample path to exactly one pattern', () => {
    const storage = { get: async () => undefined, put: async () => {}, delete: async () => {}, list: async () => [] };
    const system = { defaultLeaseTtl: () => 3600, maxLeaseTtl: () => 7200, randomBytes: async (n: number) => Buffer.alloc(n) };
    const patterns = createPkiBackend({ storage, system }).paths.map((p) => compilePattern(p.pattern));
    const samples = [
      'root/generate/internal', 'root', 'root/sign-intermediate', 'intermediate/generate/exported', 'intermediate/set-signed',
      'config/urls', 'roles/', 'roles/web', 'issue/web', 'sign/web', 'sign-verbatim', 'sign-verbatim/web', 'ca', 'ca/pem',
      'ca_chain', 'cert/01:02', 'certs/', 'certs/revoked/', 'revoke', 'crl', 'crl/pem', 'crl/rotate', 'tidy', 'ocsp', 'ocsp/MEIw/QA+b==',
    ];
    for (const sample of samples) {
      const matches = patterns.filter((p) => matchPattern(p, sample) !== undefined);
      assert.equal(matches.length, 1, sample);
    }
  });
});
