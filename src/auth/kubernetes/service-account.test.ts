import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { claimedServiceAccount } from './service-account.js';
import { boundMatches } from './roles.js';

const jwt = (claims: unknown) => `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

test('projected and legacy claim layouts', () => {
  assert.deepEqual(claimedServiceAccount(jwt({ sub: 'system:serviceaccount:prod:app', aud: 'arca', 'kubernetes.io': { namespace: 'prod', serviceaccount: { name: 'app', uid: 'u-1' } } })),
    { namespace: 'prod', name: 'app', uid: 'u-1', audiences: ['arca'] });
  assert.deepEqual(claimedServiceAccount(jwt({ 'kubernetes.io/serviceaccount/namespace': 'dev', 'kubernetes.io/serviceaccount/service-account.name': 'web', 'kubernetes.io/serviceaccount/service-account.uid': 'u-2' })),
    { namespace: 'dev', name: 'web', uid: 'u-2', audiences: [] });
});

test('inconsistent or malformed tokens are refused', () => {
  const refuse = (token: string, message: RegExp) => assert.throws(() => claimedServiceAccount(token), (e: unknown) => e instanceof InvalidRequest && message.test(e.message));
  refuse(jwt({ sub: 'system:serviceaccount:kube-system:admin', 'kubernetes.io': { namespace: 'prod', serviceaccount: { name: 'app' } } }), /subject does not match/);
  refuse(jwt({ 'kubernetes.io': { namespace: 'Prod!', serviceaccount: { name: 'app' } } }), /could not parse/);
  refuse(jwt({ sub: 'x' }), /could not parse/);
  refuse('a.b', /compact JWS/);
  refuse('a.b.c.d', /compact JWS/);
  refuse(`x.${Buffer.from('[1]').toString('base64url')}.y`, /JSON object/);
});

test('bound names: exact, *, and globs', () => {
  assert.equal(boundMatches(['app'], 'app'), true);
  assert.equal(boundMatches(['app'], 'app2'), false);
  assert.equal(boundMatches(['*'], 'anything'), true);
  assert.equal(boundMatches(['worker-*'], 'worker-1'), true);
  assert.equal(boundMatches(['worker-*'], 'xworker-1'), false);
  assert.equal(boundMatches(['a.b'], 'axb'), false);
});
