import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { parsePrincipalArn, principalBound, validBindingPattern } from './arn.js';

test('users, roles, assumed roles and federated users parse to canonical and full ARNs', () => {
  const user = parsePrincipalArn('arn:aws:iam::123456789012:user/dev/team/alice');
  assert.equal(user.type, 'user');
  assert.equal(user.path, '/dev/team/');
  assert.equal(user.friendlyName, 'alice');
  assert.equal(user.canonical, 'arn:aws:iam::123456789012:user/alice');
  assert.equal(user.fullArn, 'arn:aws:iam::123456789012:user/dev/team/alice');
  const assumed = parsePrincipalArn('arn:aws-us-gov:sts::123456789012:assumed-role/Deployer/session@x');
  assert.equal(assumed.canonical, 'arn:aws-us-gov:iam::123456789012:role/Deployer');
  assert.equal(assumed.sessionName, 'session@x');
  const fed = parsePrincipalArn('arn:aws:sts::123456789012:federated-user/bob');
  assert.equal(fed.canonical, 'arn:aws:sts::123456789012:federated-user/bob');
});

test('malformed ARNs are refused with one message', () => {
  for (const bad of [
    'arn:aws:iam::12345678901:user/a', // 11-digit account
    'arn:aws:iam::123456789012:root',
    'arn:aws:iam::123456789012:group/admins',
    'arn:aws:iam:us-east-1:123456789012:user/a', // region in an IAM ARN
    'arn:aws:sts::123456789012:assumed-role/OnlyRole',
    'arn:aws:sts::123456789012:assumed-role/Role/session/extra',
    'arn:aws:iam::123456789012:user//a',
    'arn:aws:iam::123456789012:user/a b',
    'arn:evil:iam::123456789012:user/a',
    'arn:aws:iam::123456789012:user/a\narn:aws:iam::123456789012:user/b',
    'arn:aws:sts::123456789012:user/a',
  ]) {
    assert.throws(() => parsePrincipalArn(bad), (e: unknown) => e instanceof InvalidRequest && e.message === 'unrecognized ARN returned by STS', bad);
  }
});

test('bindings: exact on canonical or full ARN; * never crosses a colon', () => {
  const user = parsePrincipalArn('arn:aws:iam::123456789012:user/dev/alice');
  assert.equal(principalBound(user, ['arn:aws:iam::123456789012:user/alice']), true);
  assert.equal(principalBound(user, ['arn:aws:iam::123456789012:user/dev/alice']), true);
  assert.equal(principalBound(user, ['arn:aws:iam::123456789012:user/dev/*']), true);
  assert.equal(principalBound(user, ['arn:aws:iam::123456789012:user/ops/*']), false);
  assert.equal(principalBound(user, ['arn:aws:iam::123456789012:role/*']), false);
  assert.equal(principalBound(user, ['arn:aws:iam::999988887777:user/*']), false);
  assert.equal(principalBound(user, ['arn:aws:iam::123456789012:*']), true);
  assert.equal(principalBound(user, ['arn:aws:iam::*']), false, 'the account segment is not matched by a * after ::');
  assert.equal(validBindingPattern('arn:aws:iam::123456789012:user/dev/*'), true);
  assert.equal(validBindingPattern('arn:aws:iam::12:user/a'), false);
  assert.equal(validBindingPattern('not-an-arn'), false);
});
