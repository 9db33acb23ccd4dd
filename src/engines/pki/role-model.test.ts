import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { checkNames, globMatch, isHostname, ROLE_DEFAULTS, type Role } from './role-model.js';

const role = (over: Partial<Role>): Role => ({ ...ROLE_DEFAULTS, ...over });
const names = (commonName: string, dnsNames: string[] = [], ipSans: string[] = []) => ({ commonName, dnsNames, ipSans });

describe('pki role name rules', () => {
  it('allows subdomains only with allow_subdomains, the bare domain only with allow_bare_domains', () => {
    const sub = role({ allowed_domains: ['example.com'], allow_subdomains: true });
    checkNames(sub, names('a.example.com'));
    checkNames(sub, names('a.b.example.com'));
    checkNames(sub, names('*.example.com'));
    assert.throws(() => checkNames(sub, names('example.com')), InvalidRequest);
    assert.throws(() => checkNames(sub, names('badexample.com')), InvalidRequest);
    assert.throws(() => checkNames(sub, names('a.example.com', ['a.example.org'])), /subject alternative name not allowed/);
    const bare = role({ allowed_domains: ['example.com'], allow_bare_domains: true });
    checkNames(bare, names('example.com'));
    assert.throws(() => checkNames(bare, names('a.example.com')), /common name not allowed/);
  });

  it('matches globs only with allow_glob_domains', () => {
    assert.equal(globMatch('build-*.example.org', 'build-7.example.org'), true);
    assert.equal(globMatch('build-*.example.org', 'build-7.example.org.evil'), false);
    assert.equal(globMatch('a.b', 'axb'), false);
    const globRole = role({ allowed_domains: ['build-*.example.org'], allow_glob_domains: true });
    checkNames(globRole, names('build-1.example.org'));
    assert.throws(() => checkNames(role({ allowed_domains: ['build-*.example.org'] }), names('build-1.example.org')), InvalidRequest);
  });

  it('enforces hostnames, IP SAN permission, localhost, wildcards and require_cn', () => {
    const any = role({ allow_any_name: true });
    checkNames(any, names('anything.at.all'));
    assert.throws(() => checkNames(any, names('not a host')), /not a valid hostname/);
    checkNames(role({ allow_any_name: true, enforce_hostnames: false }), names('not a host'));
    assert.throws(() => checkNames(role({ allow_any_name: true, allow_ip_sans: false }), names('a.b', [], ['10.0.0.1'])), /IP Subject Alternative Names/);
    assert.throws(() => checkNames(any, names('a.b', [], ['10.0.0.300'])), /not a valid IP/);
    checkNames(role({}), names('localhost'));
    assert.throws(() => checkNames(role({ allow_localhost: false }), names('localhost')), InvalidRequest);
    assert.throws(() => checkNames(role({ allowed_domains: ['example.com'], allow_subdomains: true, allow_wildcard_certificates: false }), names('*.example.com')), InvalidRequest);
    assert.throws(() => checkNames(any, names('')), /common_name field is required/);
    checkNames(role({ allow_any_name: true, require_cn: false }), names(''));
    assert.equal(isHostname('*.example.com'), true);
    assert.equal(isHostname('-bad.example.com'), false);
    assert.equal(isHostname(`${'a'.repeat(64)}.com`), false);
  });
});
