import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { compileAcl } from './acl.js';
import {
  DEFAULT_POLICY_TEXT, RESPONSE_WRAPPING_POLICY_TEXT, ROOT_POLICY, STORED_BUILTIN_POLICIES,
  assertPolicyDeletable, assertPolicyWritable, isAssignablePolicyName, isRootPolicyName,
} from './builtin.js';
import { parsePolicy } from './parse.js';

function throwsInvalid(fn: () => void, message: string): void {
  assert.throws(fn, (err: unknown) => err instanceof InvalidRequest && err.message === message);
}

describe('default policy', () => {
  it('grants exactly the self-service paths', async () => {
    const acl = compileAcl([await parsePolicy('default', DEFAULT_POLICY_TEXT)]);
    const expected: Record<string, string[]> = {
      'auth/token/lookup-self': ['read'],
      'auth/token/renew-self': ['update'],
      'auth/token/revoke-self': ['update'],
      'sys/capabilities-self': ['update'],
      'sys/internal/ui/resultant-acl': ['read'],
      'sys/renew': ['update'],
      'sys/leases/renew': ['update'],
      'sys/leases/lookup': ['update'],
      'cubbyhole/anything': ['create', 'delete', 'list', 'read', 'update'],
      'cubbyhole/': ['create', 'delete', 'list', 'read', 'update'],
      'sys/wrapping/wrap': ['update'],
      'sys/wrapping/lookup': ['update'],
      'sys/wrapping/unwrap': ['update'],
      'sys/tools/hash': ['update'],
      'sys/tools/hash/sha2-256': ['update'],
      'sys/control-group/request': ['update'],
      'identity/oidc/provider/p1/authorize': ['read', 'update'],
      // nothing else
      'auth/token/create': ['deny'],
      'auth/token/lookup': ['deny'],
      'sys/leases/lookup/x': ['deny'],
      'sys/policies/acl/default': ['deny'],
      'secret/foo': ['deny'],
      'identity/entity/id/x': ['deny'], // templated: no entity, rule skipped
    };
    for (const [path, caps] of Object.entries(expected)) assert.deepEqual(acl.capabilities(path), caps, path);
    assert.equal(acl.allowOperation({ path: 'auth/token/lookup-self', operation: 'read' }).rootPrivs, false);
  });

  it('lets a token read its own entity once templates resolve', async () => {
    const policy = await parsePolicy('default', DEFAULT_POLICY_TEXT);
    assert.equal(policy.templated, true);
    const entity: Record<string, string> = { 'identity.entity.id': 'e-1', 'identity.entity.name': 'alice' };
    const acl = compileAcl([policy], { resolveTemplate: (key) => entity[key] });
    assert.deepEqual(acl.capabilities('identity/entity/id/e-1'), ['read']);
    assert.deepEqual(acl.capabilities('identity/entity/name/alice'), ['read']);
    assert.deepEqual(acl.capabilities('identity/entity/name/bob'), ['deny']);
  });
});

describe('response-wrapping policy', () => {
  it('reads the wrapped response and unwraps, nothing more', async () => {
    const acl = compileAcl([await parsePolicy('response-wrapping', RESPONSE_WRAPPING_POLICY_TEXT)]);
    assert.deepEqual(acl.capabilities('cubbyhole/response'), ['create', 'read']);
    assert.deepEqual(acl.capabilities('sys/wrapping/unwrap'), ['update']);
    assert.deepEqual(acl.capabilities('cubbyhole/other'), ['deny']);
    assert.deepEqual(acl.capabilities('sys/wrapping/wrap'), ['deny']);
  });
});

describe('root policy', () => {
  it('compiles to the all-allowing ACL', () => {
    const acl = compileAcl([ROOT_POLICY]);
    assert.equal(acl.isRoot, true);
    assert.deepEqual(acl.capabilities('sys/raw/core'), ['root']);
  });
});

describe('reserved names', () => {
  it('refuses to write root and response-wrapping under any spelling', () => {
    for (const name of ['root', ' Root', 'ROOT', 'root\t', '\nrOOt ']) {
      throwsInvalid(() => assertPolicyWritable(name), 'cannot update "root" policy');
      throwsInvalid(() => assertPolicyDeletable(name), 'cannot delete "root" policy');
      assert.equal(isRootPolicyName(name), true);
    }
    for (const name of ['response-wrapping', ' Response-Wrapping ']) {
      throwsInvalid(() => assertPolicyWritable(name), 'cannot update "response-wrapping" policy');
      throwsInvalid(() => assertPolicyDeletable(name), 'cannot delete "response-wrapping" policy');
      assert.equal(isAssignablePolicyName(name), false);
    }
  });

  it('lets default be edited but not deleted', () => {
    for (const name of ['default', ' DEFAULT', 'Default\n']) {
      assert.doesNotThrow(() => assertPolicyWritable(name));
      throwsInvalid(() => assertPolicyDeletable(name), 'cannot delete default policy');
      assert.equal(isAssignablePolicyName(name), true);
    }
  });

  it('allows ordinary names and refuses empty ones', () => {
    assert.doesNotThrow(() => assertPolicyWritable('rooted'));
    assert.doesNotThrow(() => assertPolicyDeletable('my-root'));
    assert.equal(isRootPolicyName('roots'), false);
    throwsInvalid(() => assertPolicyWritable('  '), 'policy name missing');
  });

  it('lists the stored built-ins with their overwrite rule', () => {
    assert.deepEqual(STORED_BUILTIN_POLICIES.map((p) => [p.name, p.overwrite]), [['default', false], ['response-wrapping', true]]);
  });
});
