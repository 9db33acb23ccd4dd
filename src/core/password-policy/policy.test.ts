import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { DEFAULT_PASSWORD_POLICY, DEFAULT_PASSWORD_POLICY_HCL, parsePasswordPolicy } from './policy.js';
import { generatePassword, meetsRules, MAX_ATTEMPTS } from './generate.js';
import { createPasswordPolicyStore } from './store.js';

const POLICY = `length = 12
rule "charset" {
  charset = "abc"
  min-chars = 2
}
rule "charset" {
  charset = "0123"
  min-chars = 3
}`;

test('parses length and charset rules from HCL', async () => {
  const policy = await parsePasswordPolicy(POLICY);
  assert.equal(policy.length, 12);
  assert.deepEqual(policy.rules, [{ charset: ['a', 'b', 'c'], minChars: 2 }, { charset: ['0', '1', '2', '3'], minChars: 3 }]);
  assert.deepEqual(policy.charset, ['0', '1', '2', '3', 'a', 'b', 'c']);
});

test('accepts the policy base64-encoded and as JSON', async () => {
  const b64 = await parsePasswordPolicy(Buffer.from(POLICY).toString('base64'));
  assert.equal(b64.length, 12);
  const json = await parsePasswordPolicy(JSON.stringify({ length: 8, rule: { charset: [{ charset: 'xy', 'min-chars': 1 }] } }));
  assert.deepEqual(json.charset, ['x', 'y']);
});

test('rejects bad policies with InvalidRequest', async () => {
  const bad = [
    'length = 3\nrule "charset" { charset = "a" }',
    'rule "charset" { charset = "a" }',
    'length = 8',
    'length = 4\nrule "charset" {\n charset = "a"\n min-chars = 5\n}',
    'length = 8\nrule "other" { charset = "a" }',
    'length = 8\nrule "charset" { charset = "" }',
    'length = 8\nsomething = 1\nrule "charset" { charset = "a" }',
    'length = "many"\nrule "charset" { charset = "a" }',
    'this is { not hcl',
  ];
  for (const text of bad) await assert.rejects(parsePasswordPolicy(text), InvalidRequest, text);
});

test('the default policy matches its HCL form and Vault\'s generator (20 chars, lower/upper/digit/dash)', async () => {
  assert.deepEqual(await parsePasswordPolicy(DEFAULT_PASSWORD_POLICY_HCL), DEFAULT_PASSWORD_POLICY);
  for (let i = 0; i < 200; i++) {
    const pw = generatePassword(DEFAULT_PASSWORD_POLICY);
    assert.equal(pw.length, 20);
    assert.match(pw, /^[A-Za-z0-9-]{20}$/);
    assert.match(pw, /[a-z]/);
    assert.match(pw, /[A-Z]/);
    assert.match(pw, /[0-9]/);
    assert.match(pw, /-/);
  }
});

test('generated passwords meet every minimum', async () => {
  const policy = await parsePasswordPolicy(POLICY);
  for (let i = 0; i < 200; i++) {
    const pw = generatePassword(policy);
    assert.equal(pw.length, 12);
    assert.ok(pw.replace(/[^abc]/g, '').length >= 2);
    assert.ok(pw.replace(/[^0-3]/g, '').length >= 3);
    assert.ok(meetsRules(policy, Array.from(pw)));
  }
});

test('characters are drawn uniformly (chi-square over many draws)', async () => {
  const policy = await parsePasswordPolicy('length = 4\nrule "charset" { charset = "abcdefg" }');
  const counts = new Map<string, number>();
  const n = 7000;
  for (let i = 0; i < n / 4; i++) for (const ch of generatePassword(policy)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const expected = n / 7;
  let chi = 0;
  for (const ch of 'abcdefg') chi += ((counts.get(ch) ?? 0) - expected) ** 2 / expected;
  // 6 degrees of freedom: p < 1e-6 beyond ~ 38.
  assert.ok(chi < 38, `chi-square ${chi}`);
});

test('a candidate missing a minimum is discarded whole; an impossible draw gives up', async () => {
  const policy = await parsePasswordPolicy('length = 4\nrule "charset" {\n charset = "a"\n min-chars = 1\n}\nrule "charset" { charset = "b" }');
  // random source that always picks "b" (index 1): never satisfies the "a" rule.
  assert.throws(() => generatePassword(policy, () => 1), InvalidRequest);
  let calls = 0;
  const pw = generatePassword(policy, () => (calls++ < 4 ? 1 : 0));
  assert.equal(pw, 'aaaa');
  assert.equal(calls, 8);
  assert.ok(MAX_ATTEMPTS > 1000);
});

test('store: put validates, get/list/delete round-trip, generate from name or default', async () => {
  const map = new Map<string, Buffer>();
  const storage = {
    get: async (k: string) => map.get(k),
    put: async (k: string, v: Buffer) => { map.set(k, v); },
    delete: async (k: string) => { map.delete(k); },
    list: async (p: string) => [...map.keys()].filter((k) => k.startsWith(p)),
  };
  const store = createPasswordPolicyStore({ storage });
  await assert.rejects(store.put('bad', 'length = 2\nrule "charset" { charset = "a" }'), InvalidRequest);
  await assert.rejects(store.put('../x', POLICY), InvalidRequest);
  await store.put('digits', 'length = 6\nrule "charset" { charset = "0123456789" }');
  assert.deepEqual(JSON.parse(map.get('digits')!.toString()), { policy: 'length = 6\nrule "charset" { charset = "0123456789" }' });
  assert.deepEqual(await store.list(), ['digits']);
  assert.match(await store.generate('digits'), /^\d{6}$/);
  assert.match(await store.generate(), /^[A-Za-z0-9-]{20}$/);
  await assert.rejects(store.generate('missing'), InvalidRequest);
  await store.delete('digits');
  assert.equal(await store.get('digits'), undefined);
});
