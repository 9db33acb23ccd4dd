import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { decodeIfBase64, normalizePolicyName, parsePolicy } from './parse.js';
import type { PathRule } from './types.js';

async function rejects(text: string, detail: RegExp): Promise<void> {
  await assert.rejects(parsePolicy('p', text), (err: unknown) => {
    assert.ok(err instanceof InvalidRequest, `expected InvalidRequest, got ${String(err)}`);
    assert.match(err.message, /^failed to parse policy/);
    assert.match(err.message, detail);
    return true;
  });
}

function only(rules: readonly PathRule[]): PathRule {
  assert.equal(rules.length, 1);
  return rules[0];
}

describe('parsePolicy', () => {
  it('parses an HCL path block with every supported key', async () => {
    const p = await parsePolicy(' My-Policy ', `
      # comment
      path "/secret/foo" {
        capabilities = ["create", "read", "read"]
        allowed_parameters = { "Bar" = ["zip", "zap"], "*" = [] }
        denied_parameters = { "baz" = [] }
        required_parameters = ["Name"]
        min_wrapping_ttl = "1s"
        max_wrapping_ttl = 90
        comment = "x"
      }`);
    assert.equal(p.name, 'my-policy');
    assert.equal(p.templated, false);
    const rule = only(p.paths);
    assert.equal(rule.path, 'secret/foo');
    assert.deepEqual(rule.capabilities, ['create', 'read']);
    assert.deepEqual([...rule.allowedParameters!.entries()], [['*', []], ['bar', ['zip', 'zap']]]);
    assert.deepEqual([...rule.deniedParameters!.entries()], [['baz', []]]);
    assert.deepEqual(rule.requiredParameters, ['Name']);
    assert.equal(rule.minWrappingTtlSeconds, 1);
    assert.equal(rule.maxWrappingTtlSeconds, 90);
    assert.equal(rule.isPrefix, false);
    assert.equal(rule.hasSegmentWildcards, false);
  });

  it('gives the same rules for HCL and JSON', async () => {
    const hcl = await parsePolicy('a', `
      path "secret/*" { capabilities = ["read", "list"] }
      path "secret/+/x" {
        capabilities = ["update"]
        allowed_parameters = { "k" = ["v*"] }
      }`);
    const json = await parsePolicy('a', JSON.stringify({
      path: {
        'secret/+/x': { capabilities: ['update'], allowed_parameters: { k: ['v*'] } },
        'secret/*': { capabilities: ['read', 'list'] },
      },
    }));
    assert.deepEqual(json.paths, hcl.paths);
  });

  it('accepts the HCL1-style JSON list form and the HCL block form of parameter maps', async () => {
    const listForm = await parsePolicy('a', '{"path": [{"a": {"capabilities": ["read"]}}, {"b": {"policy": "read"}}]}');
    assert.deepEqual(listForm.paths.map((r) => [r.path, r.capabilities]), [['a', ['read']], ['b', ['read', 'list']]]);
    const blockForm = await parsePolicy('a', 'path "a" {\n capabilities = ["update"]\n allowed_parameters {\n  foo = []\n }\n}');
    assert.deepEqual([...only(blockForm.paths).allowedParameters!.entries()], [['foo', []]]);
  });

  it('keeps repeated blocks for the same path as separate rules (merged by the ACL)', async () => {
    const p = await parsePolicy('a', 'path "a" { capabilities = ["read"] }\npath "a" { capabilities = ["list"] }');
    assert.deepEqual(p.paths.map((r) => r.capabilities), [['read'], ['list']]);
  });

  it('maps the legacy policy shorthand', async () => {
    const cases: Array<[string, string[]]> = [
      ['deny', ['deny']],
      ['read', ['read', 'list']],
      ['write', ['create', 'read', 'update', 'delete', 'list']],
      ['sudo', ['create', 'read', 'update', 'delete', 'list', 'sudo']],
    ];
    for (const [legacy, expected] of cases) {
      const p = await parsePolicy('a', `path "x" { policy = "${legacy}" }`);
      assert.deepEqual(only(p.paths).capabilities, expected, legacy);
    }
    const combined = await parsePolicy('a', 'path "x" {\n capabilities = ["patch"]\n policy = "read"\n}');
    assert.deepEqual(only(combined.paths).capabilities, ['patch', 'read', 'list']);
  });

  it('keeps only deny when a block lists deny, and drops its parameter maps', async () => {
    const p = await parsePolicy('a', 'path "x" {\n capabilities = ["read", "deny", "sudo"]\n allowed_parameters = { a = [] }\n}');
    const rule = only(p.paths);
    assert.deepEqual(rule.capabilities, ['deny']);
    assert.equal(rule.allowedParameters, undefined);
  });

  it('classifies globs: trailing * is a prefix, + a segment wildcard, * elsewhere literal', async () => {
    const p = await parsePolicy('a', `
      path "secret/*" { capabilities = ["read"] }
      path "secret/+/x" { capabilities = ["read"] }
      path "+/x" { capabilities = ["read"] }
      path "secret/+/ab*" { capabilities = ["read"] }
      path "secret/*/x" { capabilities = ["read"] }
      path "secret/a+b" { capabilities = ["read"] }`);
    const byPath = new Map(p.paths.map((r) => [r.path, [r.isPrefix, r.hasSegmentWildcards]]));
    assert.deepEqual(byPath, new Map([
      ['secret/*', [true, false]],
      ['secret/+/x', [false, true]],
      ['+/x', [false, true]],
      ['secret/+/ab*', [false, true]],
      ['secret/*/x', [false, false]],
      ['secret/a+b', [false, false]],
    ]));
  });

  it('accepts identity templates and marks the policy templated', async () => {
    const p = await parsePolicy('a', 'path "identity/entity/id/{{identity.entity.id}}" { capabilities = ["read"] }');
    assert.equal(p.templated, true);
    assert.equal(only(p.paths).templated, true);
  });

  it('parses an empty policy to no rules', async () => {
    assert.deepEqual((await parsePolicy('a', '')).paths, []);
    assert.deepEqual((await parsePolicy('a', '# nothing')).paths, []);
    assert.deepEqual((await parsePolicy('a', 'name = "x"')).paths, []);
  });

  it('decodes base64-encoded HCL and JSON and stores the decoded text', async () => {
    const hcl = 'path "secret/*" { capabilities = ["read"] }';
    const fromB64 = await parsePolicy('a', Buffer.from(hcl).toString('base64'));
    assert.equal(fromB64.raw, hcl);
    assert.deepEqual(fromB64.paths, (await parsePolicy('a', hcl)).paths);
    const json = '{"path":{"a":{"capabilities":["list"]}}}';
    const wrapped = Buffer.from(json).toString('base64').replace(/(.{8})/g, '$1\n');
    assert.deepEqual((await parsePolicy('a', wrapped)).paths.map((r) => r.capabilities), [['list']]);
  });

  it('leaves text that is not strict base64 of printable text alone', () => {
    assert.equal(decodeIfBase64('abc'), 'abc'); // length not a multiple of 4
    assert.equal(decodeIfBase64('YWJj ZA=='), 'YWJj ZA==');
    assert.equal(decodeIfBase64('AAECAw=='), 'AAECAw=='); // decodes to control bytes
    assert.equal(decodeIfBase64('//79'), '//79'); // not valid UTF-8
    assert.equal(decodeIfBase64('YWJjZA=='), 'abcd');
  });

  it('rejects invalid input with InvalidRequest', async () => {
    await rejects('path "a" { capabilities = ["read" }', /invalid HCL at line 1, column \d+/);
    await rejects('path "a" { capabilities = ["reed"] }', /path block #1: invalid capability/);
    await rejects('path "a" { capabilities = ["root"] }', /invalid capability/);
    await rejects('path "a" { capabilities = "read" }', /"capabilities" must be a list of strings/);
    await rejects('path "a" { policy = "admin" }', /invalid policy/);
    await rejects('path "a" {\n capabilities = ["read"]\n bogus = 1\n}', /path block #1: invalid key/);
    await rejects('path "a" { capabilities = ["read"] }\nfoo = 1', /invalid top-level key/);
    await rejects('path "a/+*" { capabilities = ["read"] }', /'\+\*' is forbidden/);
    await rejects('path "a" {\n capabilities = ["read"]\n min_wrapping_ttl = "1m"\n max_wrapping_ttl = "10s"\n}',
      /max_wrapping_ttl cannot be less than min_wrapping_ttl/);
    await rejects('path "a" {\n capabilities = ["read"]\n min_wrapping_ttl = "soon"\n}', /invalid min_wrapping_ttl/);
    await rejects('path "a" {\n capabilities = ["read"]\n allowed_parameters = { a = "b" }\n}', /must be a map of lists/);
    await rejects('path "a" {\n capabilities = ["read"]\n required_parameters = [1]\n}', /must be a list of strings/);
    await rejects('path "a/{{identity.nope}}" { capabilities = ["read"] }', /failed to validate policy templating/);
    await rejects('path "a/{{identity.entity.id" { capabilities = ["read"] }', /failed to validate policy templating/);
    await rejects('path "a" {\n capabilities = ["read"]\n control_group = {}\n}', /"control_group" is not supported/);
    await rejects('{"path": {"a": {"capabilities": ["read"]}', /invalid JSON/);
    await rejects('{"path": {"a": ["x"]}}', /path block must be an object/);
    await rejects('{"path": {"a": {"capabilities": ["read"], "Capabilities": ["sudo"]}}}', /invalid key/);
  });

  it('never echoes submitted values in error messages', async () => {
    await assert.rejects(parsePolicy('a', 'path "s3cr3t-path" { capabilities = ["s3cr3t-cap"] }'), (err: unknown) => {
      assert.ok(err instanceof InvalidRequest);
      assert.doesNotMatch(err.message, /s3cr3t/);
      return true;
    });
  });
});

describe('normalizePolicyName', () => {
  it('trims and lower-cases', () => {
    for (const name of [' Root', 'ROOT', 'root\t', '\n rOoT \n']) assert.equal(normalizePolicyName(name), 'root');
    assert.equal(normalizePolicyName(' My Policy '), 'my policy');
  });
});
