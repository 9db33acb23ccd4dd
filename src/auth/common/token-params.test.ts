import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { authResultFrom, defaultTokenParams, equivalentPolicies, parseTokenParams, tokenParamsData } from './token-params.js';

test('parse applies present fields over the current values; legacy names are fallbacks', () => {
  const p = parseTokenParams({ token_policies: ['a'], token_ttl: 60, policies: ['legacy'], max_ttl: 120 });
  assert.deepEqual(p.token_policies, ['a']);
  assert.equal(p.token_max_ttl, 120);
  const q = parseTokenParams({ token_num_uses: 3 }, p);
  assert.deepEqual(q.token_policies, ['a']);
  assert.equal(q.token_num_uses, 3);
  assert.deepEqual(tokenParamsData(defaultTokenParams()), {
    token_bound_cidrs: [], token_explicit_max_ttl: 0, token_max_ttl: 0, token_no_default_policy: false,
    token_num_uses: 0, token_period: 0, token_policies: [], token_ttl: 0, token_type: 'default',
  });
});

test("Vault's validation messages", () => {
  const cases: Array<[Parameters<typeof parseTokenParams>[0], string]> = [
    [{ token_ttl: 100, token_max_ttl: 50 }, "'token_ttl' cannot be greater than 'token_max_ttl'"],
    [{ token_type: 'batch', token_period: 10 }, "'token_type' cannot be 'batch' or 'default_batch' when set to generate periodic tokens"],
    [{ token_type: 'default-batch', token_num_uses: 1 }, "'token_type' cannot be 'batch' or 'default_batch' when set to generate tokens with limited use count"],
    [{ token_num_uses: -1 }, "'token_num_uses' cannot be negative"],
    [{ token_type: 'weird' }, "invalid 'token_type' value"],
    [{ token_bound_cidrs: ['10.0.0.0/33'] }, 'invalid CIDR block in token_bound_cidrs'],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => parseTokenParams(input), (err: unknown) => err instanceof InvalidRequest && err.message === message);
  }
});

test('authResultFrom carries every parameter to core', () => {
  const p = parseTokenParams({ token_policies: ['x'], token_ttl: 60, token_max_ttl: 600, token_period: 0, token_num_uses: 2, token_bound_cidrs: ['10.0.0.0/8'], token_explicit_max_ttl: 900, token_no_default_policy: true, token_type: 'service' });
  const auth = authResultFrom(p, { displayName: 'u', metadata: { username: 'u' }, aliasName: 'u' });
  assert.deepEqual(auth, {
    policies: ['x'], displayName: 'u', metadata: { username: 'u' }, ttlSeconds: 60, maxTtlSeconds: 600,
    explicitMaxTtlSeconds: 900, periodSeconds: undefined, numUses: 2, renewable: true, tokenType: 'service',
    boundCidrs: ['10.0.0.0/8'], noDefaultPolicy: true, alias: { name: 'u', metadata: undefined }, groupAliases: undefined, internal: undefined,
  });
  assert.equal(authResultFrom(parseTokenParams({ token_type: 'batch' }), { displayName: 'u', metadata: {}, aliasName: 'u' }).renewable, false);
  assert.equal(equivalentPolicies(['B', 'a', 'default'], ['a', 'b']), true);
  assert.equal(equivalentPolicies(['a'], ['a', 'c']), false);
});
