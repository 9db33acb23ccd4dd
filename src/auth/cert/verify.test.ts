import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { matchClientCertificate, matchesNames } from './verify.js';
import { normalizeSerial } from './parse.js';

const none = { allowed_names: [], allowed_common_names: [], allowed_dns_sans: [], allowed_email_sans: [], allowed_uri_sans: [], allowed_organizational_units: [] };
const names = { commonName: 'alice.acme.test', organizationalUnits: ['eng'], dnsNames: ['alice.acme.test', 'a.internal'], emails: ['alice@acme.test'], uris: ['spiffe://acme/alice'], subjectKeyId: '', authorityKeyId: '' };

test('name constraints: empty lists allow all; each non-empty list needs one glob match', () => {
  assert.equal(matchesNames(names, none), true);
  assert.equal(matchesNames(names, { ...none, allowed_common_names: ['*.acme.test'] }), true);
  assert.equal(matchesNames(names, { ...none, allowed_common_names: ['bob.acme.test'] }), false);
  assert.equal(matchesNames(names, { ...none, allowed_dns_sans: ['*.internal'] }), true);
  assert.equal(matchesNames(names, { ...none, allowed_email_sans: ['*@evil.test'] }), false);
  assert.equal(matchesNames(names, { ...none, allowed_uri_sans: ['spiffe://acme/*'] }), true);
  assert.equal(matchesNames(names, { ...none, allowed_organizational_units: ['ops'] }), false);
  assert.equal(matchesNames(names, { ...none, allowed_names: ['alice@*'] }), true);
  assert.equal(matchesNames({ ...names, commonName: '' }, { ...none, allowed_common_names: ['*'] }), false);
});

test('no or unparseable client certificate is refused before any trust decision', () => {
  const refuses = (der: Buffer | undefined, message: string) =>
    assert.throws(() => matchClientCertificate(der, [], [], new Set(), new Date()), (e: unknown) => e instanceof InvalidRequest && e.message === message);
  refuses(undefined, 'client certificate must be supplied');
  refuses(Buffer.alloc(0), 'client certificate must be supplied');
  refuses(Buffer.from('30820001', 'hex'), 'invalid certificate or no client certificate supplied');
});

test('serials compare in one normal form', () => {
  assert.equal(normalizeSerial('00:0A:bc'), 'abc');
  assert.equal(normalizeSerial('0'), '0');
  assert.equal(normalizeSerial('0ABC'), normalizeSerial('abc'));
});
