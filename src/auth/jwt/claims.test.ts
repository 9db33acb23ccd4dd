import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { checkBoundClaimsShape, getClaim, globMatch, groupsFromClaim, mapClaims, userClaimValue, validateBoundClaims } from './claims.js';
import { checkRegisteredClaims } from './validate.js';

const rejects = (fn: () => unknown, message: string) =>
  assert.throws(fn, (err: unknown) => err instanceof InvalidRequest && err.message === message);

test('claims by name or JSON pointer', () => {
  const claims = { sub: 'u', 'a/b': 1, nested: { 'x/y': { z: 'deep' }, list: ['p', 'q'] } };
  assert.equal(getClaim(claims, 'sub'), 'u');
  assert.equal(getClaim(claims, '/nested/x~1y/z'), 'deep');
  assert.equal(getClaim(claims, '/nested/list/1'), 'q');
  assert.equal(getClaim(claims, '/nested/missing/z'), undefined);
});

test('glob matching is literal apart from *', () => {
  assert.equal(globMatch('repo:org/*:ref:refs/heads/main', 'repo:org/app:ref:refs/heads/main'), true);
  assert.equal(globMatch('repo:org/*', 'repo:other/app'), false);
  assert.equal(globMatch('a.b', 'axb'), false);
  assert.equal(globMatch('*', ''), true);
  assert.equal(globMatch('ab*ba', 'aba'), false);
  assert.equal(globMatch('ab*ba', 'abba'), true);
});

test('bound claims: exact, glob, lists on both sides, missing and mismatched', () => {
  const claims = { groups: ['dev', 'ops'], env: 'prod-eu', n: 3 };
  validateBoundClaims(claims, { groups: ['admin', 'ops'], n: 3 }, 'string');
  validateBoundClaims(claims, { env: 'prod-*' }, 'glob');
  rejects(() => validateBoundClaims(claims, { env: 'prod-*' }, 'string'), 'error validating claims: claim "env" does not match any associated bound claim values');
  rejects(() => validateBoundClaims(claims, { team: 'x' }, 'string'), 'error validating claims: claim "team" is missing');
  rejects(() => checkBoundClaimsShape({ a: 1 }, 'glob'), 'bound claim is not a string or list: "a"');
  rejects(() => checkBoundClaimsShape({}, 'regex'), "invalid 'bound_claims_type'");
});

test('mappings, user claim and groups claim', () => {
  const claims = { email: 'a@example.org', n: 7, obj: {}, groups: ['g1', 'g1', 'g2'] };
  assert.deepEqual(mapClaims(claims, { email: 'mail', n: 'num', absent: 'x' }), { mail: 'a@example.org', num: '7' });
  rejects(() => mapClaims(claims, { obj: 'o' }), "error converting claim 'obj' to string");
  assert.equal(userClaimValue(claims, 'email'), 'a@example.org');
  rejects(() => userClaimValue(claims, 'sub'), 'claim "sub" not found in token');
  assert.equal(userClaimValue({ u: { id: 'x' }, '/u/id': 'literal' }, '/u/id'), 'literal');
  assert.equal(userClaimValue({ u: { id: 'x' } }, '/u/id', true), 'x');
  assert.deepEqual(groupsFromClaim(claims, 'groups'), ['g1', 'g2']);
  assert.deepEqual(groupsFromClaim({ groups: 'solo' }, 'groups'), ['solo']);
  rejects(() => groupsFromClaim({}, 'groups'), '"groups" claim not found in token');
});

test('registered claims with leeways', () => {
  const base = { issuer: 'https://iss', audiences: ['api'], leeways: { clockSkew: 60, expiration: 0, notBefore: 0 }, nowSeconds: 10_000 };
  const ok = { iss: 'https://iss', aud: ['api', 'x'], exp: 10_100, nbf: 9_000, iat: 9_000 };
  checkRegisteredClaims(ok, base);
  checkRegisteredClaims({ ...ok, exp: 10_000 - 200 }, base); // inside 150 + 60
  rejects(() => checkRegisteredClaims({ ...ok, exp: 10_000 - 211 }, base), 'error validating token: invalid expiration time (exp) claim: token is expired');
  rejects(() => checkRegisteredClaims({ ...ok, exp: 9_999 }, { ...base, leeways: { clockSkew: -1, expiration: 0, notBefore: 0 }, nowSeconds: 10_151 }), 'error validating token: invalid expiration time (exp) claim: token is expired');
  // -1 removes the leeway but never the check.
  rejects(() => checkRegisteredClaims({ ...ok, exp: 9_999 }, { ...base, leeways: { clockSkew: -1, expiration: -1, notBefore: -1 } }), 'error validating token: invalid expiration time (exp) claim: token is expired');
  rejects(() => checkRegisteredClaims({ ...ok, nbf: 10_001 }, { ...base, leeways: { clockSkew: -1, expiration: -1, notBefore: -1 } }), 'error validating token: invalid not before (nbf) claim: token not yet valid');
  rejects(() => checkRegisteredClaims({ ...ok, nbf: 10_300 }, base), 'error validating token: invalid not before (nbf) claim: token not yet valid');
  rejects(() => checkRegisteredClaims({ ...ok, iss: 'https://evil' }, base), 'error validating token: invalid issuer (iss) claim');
  rejects(() => checkRegisteredClaims({ ...ok, aud: 'other' }, base), 'error validating token: invalid audience (aud) claim: audience claim does not match any expected audience');
  rejects(() => checkRegisteredClaims(ok, { ...base, audiences: [] }), 'audience claim found in JWT but no audiences bound to the role');
  rejects(() => checkRegisteredClaims({ ...ok, exp: undefined }, base), 'error validating token: exp claim is required');
  rejects(() => checkRegisteredClaims({ ...ok, sub: 'a' }, { ...base, subject: 'b' }), 'sub claim does not match bound subject');
});
