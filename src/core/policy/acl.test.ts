import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ArcaError, PermissionDenied } from '../../errors.js';
import { compileAcl, type Acl, type AclOperation, type AclRequest } from './acl.js';
import { parsePolicy } from './parse.js';
import type { Policy } from './types.js';

async function aclOf(...texts: string[]): Promise<Acl> {
  return compileAcl(await Promise.all(texts.map((text, i) => parsePolicy(`p${i + 1}`, text))));
}

function allows(acl: Acl, operation: AclOperation, path: string, extra: Partial<AclRequest> = {}): boolean {
  return acl.allowOperation({ path, operation, ...extra }).allowed;
}

type Row = [AclOperation, string, boolean];
function check(acl: Acl, rows: Row[]): void {
  for (const [operation, path, expected] of rows) {
    assert.equal(allows(acl, operation, path), expected, `${operation} ${JSON.stringify(path)}`);
  }
}

describe('compileAcl: matching', () => {
  it('exact rules match only their exact path (case-sensitive, trailing slash significant)', async () => {
    const acl = await aclOf('path "secret/foo" { capabilities = ["read"] }');
    check(acl, [
      ['read', 'secret/foo', true],
      ['read', '/secret/foo', true],
      ['read', 'secret/Foo', false],
      ['read', 'SECRET/foo', false],
      ['read', 'secret/foo/', false],
      ['read', 'secret/foo/bar', false],
      ['read', 'secret/fo', false],
      ['update', 'secret/foo', false],
    ]);
  });

  it('denies everything when no rule matches, and with no policies at all', async () => {
    const none = compileAcl([]);
    const decision = none.allowOperation({ path: 'secret/foo', operation: 'read' });
    assert.deepEqual(decision, {
      allowed: false, rootPrivs: false, reason: 'no policy grants access to this path', grantingPolicies: [],
    });
    assert.deepEqual(none.capabilities('secret/foo'), ['deny']);
  });

  it('a trailing * is a prefix glob; * elsewhere is a literal character', async () => {
    const acl = await aclOf(`
      path "secret/zip-*" { capabilities = ["read"] }
      path "secret/*/lit" { capabilities = ["update"] }`);
    check(acl, [
      ['read', 'secret/zip-', true],
      ['read', 'secret/zip-zap', true],
      ['read', 'secret/zip-zap/deeper/x', true],
      ['read', 'secret/zip', false],
      ['update', 'secret/a/lit', false],
      ['update', 'secret/*/lit', true],
    ]);
  });

  it('exact beats glob, and the longest prefix glob wins (only its capabilities count)', async () => {
    const acl = await aclOf(`
      path "secret/*" { capabilities = ["read", "update"] }
      path "secret/team/*" { capabilities = ["list"] }
      path "secret/team/exact" { capabilities = ["delete"] }`);
    check(acl, [
      ['read', 'secret/x', true],
      ['read', 'secret/team/x', false],
      ['list', 'secret/team/x', true],
      ['read', 'secret/team/exact', false],
      ['list', 'secret/team/exact', false],
      ['delete', 'secret/team/exact', true],
      ['delete', 'secret/team/exact2', false],
    ]);
  });

  it('+ matches exactly one segment', async () => {
    const acl = await aclOf('path "secret/+/teamb" { capabilities = ["read"] }');
    check(acl, [
      ['read', 'secret/a/teamb', true],
      ['read', 'secret/anything-here/teamb', true],
      ['read', 'secret/teamb', false],
      ['read', 'secret/a/b/teamb', false],
      ['read', 'secret/a/teamb/x', false],
      ['read', 'secret//teamb', false],
      ['read', 'secret/a/teambx', false],
    ]);
    const leading = await aclOf('path "+/config" { capabilities = ["read"] }');
    check(leading, [['read', 'kv/config', true], ['read', 'a/b/config', false]]);
  });

  it('+ combined with a trailing * glob', async () => {
    const acl = await aclOf(`
      path "secret/+/ab*" { capabilities = ["read"] }
      path "kv/+/*" { capabilities = ["list"] }`);
    check(acl, [
      ['read', 'secret/x/ab', true],
      ['read', 'secret/x/abc/def', true],
      ['read', 'secret/x/a', false],
      ['read', 'secret/ab', false],
      ['list', 'kv/x/', true],
      ['list', 'kv/x/y/z', true],
      ['list', 'kv/x', false],
    ]);
  });

  it("orders non-exact rules by Vault's priority", async () => {
    // (a) a later first wildcard wins: foo/bar/+/baz over foo/+/bar/baz; foo/a* over foo/+
    check(await aclOf(`
      path "foo/+/bar/baz" { capabilities = ["read"] }
      path "foo/bar/+/baz" { capabilities = ["list"] }`), [
      ['list', 'foo/bar/bar/baz', true], ['read', 'foo/bar/bar/baz', false],
    ]);
    check(await aclOf(`
      path "foo/+" { capabilities = ["read"] }
      path "foo/a*" { capabilities = ["list"] }`), [
      ['list', 'foo/ab', true], ['read', 'foo/ab', false], ['read', 'foo/b', true],
    ]);
    // (b) same first wildcard: a non-prefix rule beats a prefix: foo/+ over foo/*
    check(await aclOf(`
      path "foo/*" { capabilities = ["read"] }
      path "foo/+" { capabilities = ["list"] }`), [
      ['list', 'foo/x', true], ['read', 'foo/x', false], ['read', 'foo/x/y', true],
    ]);
    // (c) fewer + segments: foo/+/bar over foo/+/+ (same first wildcard, both non-prefix)
    check(await aclOf(`
      path "foo/+/+" { capabilities = ["read"] }
      path "foo/+/bar" { capabilities = ["list"] }`), [
      ['list', 'foo/x/bar', true], ['read', 'foo/x/bar', false], ['read', 'foo/x/baz', true],
    ]);
    // (d) longer: foo/+/bar/ba* over foo/+/bar/b*
    check(await aclOf(`
      path "foo/+/bar/b*" { capabilities = ["read"] }
      path "foo/+/bar/ba*" { capabilities = ["list"] }`), [
      ['list', 'foo/x/bar/baz', true], ['read', 'foo/x/bar/baz', false], ['read', 'foo/x/bar/bz', true],
    ]);
    // a prefix glob whose prefix reaches past the first + wins over the segment rule
    check(await aclOf(`
      path "secret/+/x" { capabilities = ["read"] }
      path "secret/a/*" { capabilities = ["list"] }`), [
      ['list', 'secret/a/x', true], ['read', 'secret/a/x', false], ['read', 'secret/b/x', true],
    ]);
  });

  it('LIST falls back to the rule without the trailing slash; other operations do not', async () => {
    const acl = await aclOf(`
      path "secret/dir" { capabilities = ["list", "read"] }
      path "kv/+" { capabilities = ["list", "read"] }
      path "app/x*" { capabilities = ["list"] }`);
    check(acl, [
      ['list', 'secret/dir/', true],
      ['read', 'secret/dir/', false],
      ['list', 'kv/team/', true],
      ['read', 'kv/team/', false],
      ['list', 'app/x/', true],
      ['list', 'app/', false],
    ]);
    // an exact rule on the slash form is used first
    const both = await aclOf(`
      path "secret/dir/" { capabilities = ["deny"] }
      path "secret/dir" { capabilities = ["list"] }`);
    check(both, [['list', 'secret/dir/', false], ['list', 'secret/dir', true]]);
  });

  it('help is always allowed; operations outside the ACL are refused', async () => {
    const acl = await aclOf('path "secret/*" { capabilities = ["create", "read", "update", "delete", "list", "patch"] }');
    assert.equal(allows(compileAcl([]), 'help', 'anything/at/all'), true);
    for (const op of ['alias-lookahead', 'resolve-role', 'header'] as const) {
      assert.deepEqual(acl.allowOperation({ path: 'secret/x', operation: op }), {
        allowed: false, rootPrivs: false, reason: 'operation is not subject to policy', grantingPolicies: [],
      });
    }
    for (const op of ['renew', 'revoke', 'rollback'] as const) assert.equal(allows(acl, op, 'secret/x'), true);
  });

  it('each operation needs its own capability', async () => {
    const ops: AclOperation[] = ['create', 'read', 'update', 'patch', 'delete', 'list'];
    for (const granted of ops) {
      const acl = await aclOf(`path "p" { capabilities = ["${granted}"] }`);
      for (const op of ops) assert.equal(allows(acl, op, 'p'), op === granted, `${granted} vs ${op}`);
    }
  });
});

describe('compileAcl: merging and deny', () => {
  it('deny in any policy beats allow in every other, for the same path', async () => {
    const acl = await aclOf(
      'path "secret/x" { capabilities = ["read", "sudo"] }',
      'path "secret/x" { capabilities = ["deny"] }',
      'path "secret/x" { capabilities = ["update"] }',
    );
    const decision = acl.allowOperation({ path: 'secret/x', operation: 'read' });
    assert.deepEqual(decision, {
      allowed: false, rootPrivs: false, reason: 'access to this path is explicitly denied', grantingPolicies: [],
    });
    assert.deepEqual(acl.capabilities('secret/x'), ['deny']);
  });

  it('a deny on a more specific path beats a broader allow', async () => {
    const acl = await aclOf('path "secret/*" { capabilities = ["read"] }', 'path "secret/admin/*" { capabilities = ["deny"] }');
    check(acl, [['read', 'secret/user', true], ['read', 'secret/admin/key', false]]);
  });

  it('unions capabilities of identical paths across policies and reports who granted what', async () => {
    const acl = await aclOf(
      'path "secret/*" { capabilities = ["read"] }',
      'path "secret/*" { capabilities = ["list", "read"] }',
      'path "other" { capabilities = ["update"] }',
    );
    assert.deepEqual(acl.capabilities('secret/a'), ['list', 'read']);
    assert.deepEqual(acl.allowOperation({ path: 'secret/a', operation: 'read' }).grantingPolicies, ['p1', 'p2']);
    assert.deepEqual(acl.allowOperation({ path: 'secret/a', operation: 'list' }).grantingPolicies, ['p2']);
  });

  it('sudo gives rootPrivs on the matched rule only', async () => {
    const acl = await aclOf('path "sys/audit/*" { capabilities = ["sudo", "update"] }', 'path "sys/*" { capabilities = ["update"] }');
    assert.equal(acl.allowOperation({ path: 'sys/audit/file', operation: 'update' }).rootPrivs, true);
    assert.equal(acl.allowOperation({ path: 'sys/mounts', operation: 'update' }).rootPrivs, false);
    // rootPrivs is reported even if the operation itself is not granted (Vault does the same)
    const readAudit = acl.allowOperation({ path: 'sys/audit/file', operation: 'read' });
    assert.equal(readAudit.allowed, false);
    assert.equal(readAudit.rootPrivs, true);
  });

  it('capabilities(): sorted, merged, root and deny', async () => {
    const acl = await aclOf('path "a/*" { capabilities = ["update", "create", "sudo", "read"] }', 'path "a/*" { capabilities = ["delete"] }');
    assert.deepEqual(acl.capabilities('a/b'), ['create', 'delete', 'read', 'sudo', 'update']);
    assert.deepEqual(acl.capabilities('b'), ['deny']);
    assert.deepEqual(acl.capabilities('a/../b'), ['deny']);
    const root = compileAcl([{ name: 'root', raw: '', paths: [], templated: false }]);
    assert.equal(root.isRoot, true);
    assert.deepEqual(root.capabilities('anything'), ['root']);
    assert.deepEqual(root.allowOperation({ path: 'sys/raw/x', operation: 'delete' }), {
      allowed: true, rootPrivs: true, grantingPolicies: ['root'],
    });
  });

  it('refuses to combine root with other policies', async () => {
    const root: Policy = { name: 'root', raw: '', paths: [], templated: false };
    const other = await parsePolicy('x', 'path "a" { capabilities = ["read"] }');
    assert.throws(() => compileAcl([root, other]), (err: unknown) => err instanceof ArcaError && err.status === 500);
  });
});

describe('compileAcl: parameters', () => {
  const write = (acl: Acl, data: Record<string, unknown>, path = 'p') =>
    acl.allowOperation({ path, operation: 'update', data });

  it('allowed_parameters: listed keys, value lists, globs and the "*" key', async () => {
    const acl = await aclOf(`path "p" {
      capabilities = ["update", "create", "patch", "read", "list"]
      allowed_parameters = { "name" = [], "env" = ["dev", "stage-*", "*-test", "*mid*"], "n" = [1, true] }
    }`);
    const rows: Array<[Record<string, unknown>, boolean]> = [
      [{}, true],
      [{ name: 'anything' }, true],
      [{ NAME: 'anything' }, true],
      [{ env: 'dev' }, true],
      [{ env: 'stage-1' }, true],
      [{ env: 'unit-test' }, true],
      [{ env: 'xmidx' }, true],
      [{ env: 'prod' }, false],
      [{ env: 'dev2' }, false],
      [{ n: 1 }, true],
      [{ n: true }, true],
      [{ n: '1' }, false],
      [{ other: 'x' }, false],
      [{ name: 'x', other: 'y' }, false],
    ];
    for (const [data, expected] of rows) assert.equal(write(acl, data).allowed, expected, JSON.stringify(data));
    for (const op of ['create', 'patch', 'read'] as const) {
      assert.equal(acl.allowOperation({ path: 'p', operation: op, data: { other: 1 } }).allowed, false, op);
    }
    // not checked on list
    assert.equal(acl.allowOperation({ path: 'p', operation: 'list', data: { other: 1 } }).allowed, true);

    const star = await aclOf('path "p" {\n capabilities = ["update"]\n allowed_parameters = { "*" = [], "env" = ["dev"] }\n}');
    assert.equal(write(star, { anything: 1 }).allowed, true);
    assert.equal(write(star, { env: 'dev', x: 2 }).allowed, true);
    assert.equal(write(star, { env: 'prod' }).allowed, false);
    const starOnly = await aclOf('path "p" {\n capabilities = ["update"]\n allowed_parameters = { "*" = [] }\n}');
    assert.equal(write(starOnly, { anything: 1 }).allowed, true);
  });

  it('denied_parameters beat allowed_parameters; "*" denies every parameter', async () => {
    const acl = await aclOf(`path "p" {
      capabilities = ["update"]
      allowed_parameters = { "*" = [] }
      denied_parameters = { "admin" = [], "role" = ["root*"] }
    }`);
    assert.equal(write(acl, { admin: false }).allowed, false);
    assert.equal(write(acl, { Admin: 'x' }).allowed, false);
    assert.equal(write(acl, { role: 'rootish' }).allowed, false);
    assert.equal(write(acl, { role: 'user' }).allowed, true);
    const all = await aclOf('path "p" {\n capabilities = ["update"]\n denied_parameters = { "*" = [] }\n}');
    assert.deepEqual(write(all, { a: 1 }), {
      allowed: false, rootPrivs: false, reason: 'all parameters are denied', grantingPolicies: [],
    });
    assert.equal(write(all, {}).allowed, true);
  });

  it('required_parameters must all be present, even with empty data', async () => {
    const acl = await aclOf('path "p" {\n capabilities = ["update"]\n required_parameters = ["Name", "id"]\n}');
    assert.equal(write(acl, { name: 'a', id: 1 }).allowed, true);
    assert.equal(write(acl, { name: 'a' }).allowed, false);
    assert.equal(write(acl, {}).allowed, false);
    assert.equal(acl.allowOperation({ path: 'p', operation: 'update' }).allowed, false);
  });

  it('merges parameter constraints of identical paths (empty list means any value)', async () => {
    const acl = await aclOf(
      'path "p" {\n capabilities = ["update"]\n allowed_parameters = { "a" = ["1"], "b" = ["x"] }\n}',
      'path "p" {\n capabilities = ["update"]\n allowed_parameters = { "a" = ["2"], "b" = [] }\n required_parameters = ["a"]\n}',
    );
    assert.equal(write(acl, { a: '1' }).allowed, true);
    assert.equal(write(acl, { a: '2' }).allowed, true);
    assert.equal(write(acl, { a: '3' }).allowed, false);
    assert.equal(write(acl, { a: '1', b: 'anything' }).allowed, true);
    assert.equal(write(acl, { b: 'x' }).allowed, false); // a is required
  });

  it('parameter constraints never leak onto other paths', async () => {
    const acl = await aclOf(`
      path "p" {
        capabilities = ["update"]
        allowed_parameters = { "a" = [] }
      }
      path "q" { capabilities = ["update"] }`);
    assert.equal(write(acl, { z: 1 }, 'p').allowed, false);
    assert.equal(write(acl, { z: 1 }, 'q').allowed, true);
  });
});

describe('compileAcl: wrapping TTL bounds', () => {
  it('requires wrapping within [min, max] when the rule sets them', async () => {
    const acl = await aclOf('path "p" {\n capabilities = ["read"]\n min_wrapping_ttl = "10s"\n max_wrapping_ttl = "1m"\n}');
    const rows: Array<[number | undefined, boolean]> = [[undefined, false], [5, false], [10, true], [60, true], [61, false]];
    for (const [ttl, expected] of rows) {
      assert.equal(allows(acl, 'read', 'p', { wrapTtlSeconds: ttl }), expected, String(ttl));
    }
    const maxOnly = await aclOf('path "p" {\n capabilities = ["read"]\n max_wrapping_ttl = 30\n}');
    assert.equal(allows(maxOnly, 'read', 'p'), false);
    assert.equal(allows(maxOnly, 'read', 'p', { wrapTtlSeconds: 1 }), true);
    const none = await aclOf('path "p" { capabilities = ["read"] }');
    assert.equal(allows(none, 'read', 'p'), true);
    assert.equal(allows(none, 'read', 'p', { wrapTtlSeconds: 99999 }), true);
  });

  it('merging takes the lowest non-zero bound on each side, and conflicting merged bounds deny', async () => {
    const acl = await aclOf(
      'path "p" {\n capabilities = ["read"]\n max_wrapping_ttl = 100\n}',
      'path "p" {\n capabilities = ["read"]\n max_wrapping_ttl = 50\n}',
    );
    assert.equal(allows(acl, 'read', 'p', { wrapTtlSeconds: 50 }), true);
    assert.equal(allows(acl, 'read', 'p', { wrapTtlSeconds: 51 }), false);
    const conflict = await aclOf(
      'path "p" {\n capabilities = ["read"]\n min_wrapping_ttl = 100\n}',
      'path "p" {\n capabilities = ["read"]\n max_wrapping_ttl = 50\n}',
    );
    for (const ttl of [1, 50, 75, 100, 200]) assert.equal(allows(conflict, 'read', 'p', { wrapTtlSeconds: ttl }), false);
  });
});

describe('compileAcl: path tricks never widen access', () => {
  it('refuses non-canonical paths even when a glob would match them', async () => {
    const acl = await aclOf('path "secret/public/*" { capabilities = ["read", "list"] }');
    const tricks = [
      'secret/public/../private', 'secret/public/./x', 'secret/public//x', 'secret/public/..',
      'secret/public/x\u0000', 'secret/public/%2e%2e/private',
    ];
    for (const path of tricks.slice(0, 5)) {
      const decision = acl.allowOperation({ path, operation: 'read' });
      assert.equal(decision.allowed, false, path);
      assert.notEqual(decision.reason, undefined);
    }
    // an undecoded %2e%2e is just a literal name under the glob; decoding is the HTTP layer's job
    assert.equal(allows(acl, 'read', tricks[5]), true);
    assert.equal(allows(acl, 'read', 'secret/public/x'), true);
    assert.equal(allows(acl, 'read', 'secret/publicx'), false);
    assert.equal(allows(acl, 'list', 'secret/public/'), true);
    assert.equal(allows(acl, 'list', 'secret/'), false);
    assert.equal(allows(acl, 'read', 'secret/Public/x'), false);
  });
});

describe('compileAcl: identity templates', () => {
  const text = 'path "identity/entity/id/{{identity.entity.id}}" { capabilities = ["read"] }';

  it('skips templated rules without an entity and resolves them with one', async () => {
    const policy = await parsePolicy('default', text);
    assert.equal(allows(compileAcl([policy]), 'read', 'identity/entity/id/e1'), false);
    const acl = compileAcl([policy], { resolveTemplate: (key) => (key === 'identity.entity.id' ? 'e1' : undefined) });
    assert.equal(allows(acl, 'read', 'identity/entity/id/e1'), true);
    assert.equal(allows(acl, 'read', 'identity/entity/id/e2'), false);
    assert.equal(allows(acl, 'read', 'identity/entity/id/{{identity.entity.id}}'), false);
  });

  it('refuses template values that would add wildcards or path segments', async () => {
    const policy = await parsePolicy('default', text);
    for (const value of ['*', '+', 'a/b']) {
      assert.throws(() => compileAcl([policy], { resolveTemplate: () => value }), PermissionDenied);
    }
  });
});

describe('compileAcl: hasAccessUnder', () => {
  it('finds any non-deny grant inside a mount', async () => {
    const acl = await aclOf(`
      path "secret/data/app/*" { capabilities = ["read"] }
      path "kv/+/x" { capabilities = ["read"] }
      path "blocked/*" { capabilities = ["deny"] }`);
    assert.equal(acl.hasAccessUnder('secret/'), true);
    assert.equal(acl.hasAccessUnder('kv/'), true);
    assert.equal(acl.hasAccessUnder('blocked/'), false);
    assert.equal(acl.hasAccessUnder('other/'), false);
    assert.equal(compileAcl([]).hasAccessUnder('secret/'), false);
  });
});
