import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The reference implementation, kept as a devDependency for this cross-check only.
import { parse as hcl2json } from '@cdktf/hcl2json';
import { DEFAULT_POLICY_TEXT, RESPONSE_WRAPPING_POLICY_TEXT } from '../core/policy/builtin.js';
import { HclSyntaxError, parseHcl } from './hcl.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

function hclFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...hclFiles(full));
    else if (entry.name.endsWith('.hcl')) out.push(full);
  }
  return out.sort();
}

/** Deep-equal to hcl2json, and the same key order (callers iterate Object.entries). */
async function assertSameAsHcl2json(text: string, name: string): Promise<void> {
  const expected = await hcl2json(name, text);
  const actual = parseHcl(text, name);
  assert.deepStrictEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

function syntaxError(text: string, line: number, column: number, reason: string | RegExp): void {
  assert.throws(() => parseHcl(text, 'x.hcl'), (err: unknown) => {
    assert.ok(err instanceof HclSyntaxError, `expected HclSyntaxError, got ${String(err)}`);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'HclSyntaxError');
    assert.equal(err.filename, 'x.hcl');
    assert.deepEqual([err.line, err.column], [line, column]);
    if (typeof reason === 'string') assert.equal(err.reason, reason);
    else assert.match(err.reason, reason);
    assert.equal(err.message, `${err.reason} at line ${line}, column ${column}`);
    return true;
  });
}

async function hcl2jsonRejects(text: string): Promise<void> {
  await assert.rejects(hcl2json('x.hcl', text));
}

describe('parseHcl golden comparison with hcl2json', () => {
  const own = hclFiles(join(FIXTURES, 'hcl'));
  const config = hclFiles(join(FIXTURES, 'config'));

  it('has the fixtures it is meant to compare', () => {
    assert.ok(own.length >= 12, `expected at least 12 fixtures under test/fixtures/hcl, found ${own.length}`);
    assert.ok(config.length >= 3, 'expected the config fixtures');
  });

  for (const file of [...own, ...config]) {
    it(file.slice(FIXTURES.length), async () => {
      await assertSameAsHcl2json(readFileSync(file, 'utf8'), 'fixture.hcl');
    });
  }

  it('the built-in policies', async () => {
    await assertSameAsHcl2json(DEFAULT_POLICY_TEXT, 'policy.hcl');
    await assertSameAsHcl2json(RESPONSE_WRAPPING_POLICY_TEXT, 'policy.hcl');
  });

  const inline: Array<[string, string]> = [
    ['CRLF line endings', 'a = 1\r\nb "x" {\r\n  c = "d"\r\n}\r\nh = <<-EOF\r\n  x\r\n  EOF\r\n'],
    ['a byte order mark', '\ufeffa = 1\n'],
    ['an empty document', ''],
    ['only comments', '# a\n// b\n/* c */\n'],
    ['negative zero', 'a = -0\n'],
    ['single-line blocks', 'a { x = 1 }\nb "l" {}\nc "l" { y = [1, 2] }\n'],
    ['a heredoc closing marker with surrounding blanks', 'a = <<EOF\nx\n  EOF  \nb = 1\n'],
    ['heredocs inside a list', 'a = [<<A\none\nA\n, <<-B\n  two\n  B\n]\n'],
    ['whitespace-only lines in an indented heredoc', 'a = <<-EOF\n    x\n  \n\n    y\n   EOF\n'],
    ['a literal ${ made from escapes in a block label', 'path "a/$${x}/\\u0024{y}" {}\n'],
    ['template text in object keys', 'a = { "k${x}" = 1, "l$${y}" = 2 }\n'],
    ['trailing blanks and a comment after the last attribute', 'a = "x"   # c'],
  ];
  for (const [name, text] of inline) {
    it(name, async () => assertSameAsHcl2json(text, 'x.hcl'));
  }
});

describe('parseHcl shapes', () => {
  it('nests labelled blocks by label and ends in arrays of bodies', () => {
    assert.deepEqual(parseHcl('path "secret/*" {\n  capabilities = ["read"]\n}\n', 'p.hcl'), {
      path: { 'secret/*': [{ capabilities: ['read'] }] },
    });
    assert.deepEqual(parseHcl('storage "sqlite" {}\n', 'c.hcl'), { storage: { sqlite: [{}] } });
    assert.deepEqual(parseHcl('seal "a" "b" { k = 1 }\nseal "a" "c" {}\nseal "a" "b" {}\n', 'c.hcl'), {
      seal: { a: { b: [{ k: 1 }, {}], c: [{}] } },
    });
  });

  it('merges repeated unlabelled blocks into one array, in source order', () => {
    assert.deepEqual(parseHcl('t {\n  a = 1\n}\nt {\n  b = 2\n}\n', 'c.hcl'), { t: [{ a: 1 }, { b: 2 }] });
  });

  it('sorts object keys by byte order, as Go maps do', () => {
    const doc = parseHcl('z = 1\nb "y" {}\nb "x" {}\na = { "é" = 1, "Z" = 2, "a" = 3 }\n', 'c.hcl');
    assert.deepEqual(Object.keys(doc), ['a', 'b', 'z']);
    assert.deepEqual(Object.keys(doc.b as object), ['x', 'y']);
    assert.deepEqual(Object.keys(doc.a as object), ['Z', 'a', 'é']);
  });

  it('keeps __proto__ as an ordinary key', () => {
    const doc = parseHcl('a = { __proto__ = 1 }\n', 'c.hcl');
    const a = doc.a as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(a), Object.prototype);
    assert.deepEqual(Object.keys(a), ['__proto__']);
  });

  it('keeps policy identity templates as plain text', () => {
    assert.deepEqual(parseHcl('path "kv/{{identity.entity.id}}/*" {}\n', 'p.hcl'), {
      path: { 'kv/{{identity.entity.id}}/*': [{}] },
    });
  });

  it('renders strings as hcl2json does: literal ${ escaped, plain references kept', () => {
    assert.deepEqual(parseHcl('a = "$${x} ${y.z} \\u0024{w}"\n', 'c.hcl'), { a: '$${x} ${y.z} $${w}' });
  });
});

describe('parseHcl errors', () => {
  it('reports line and column of syntax errors, as HclSyntaxError', async () => {
    const cases: Array<[string, number, number, string]> = [
      ['a = 1\nb = @\n', 2, 5, 'unexpected character'],
      ['a = 1 b = 2\n', 1, 7, 'expected a newline after an attribute'],
      ['a = 1\na = 2\n', 2, 1, 'attribute redefined'],
      ['ui = \n', 1, 6, 'expected a value'],
      ['a = [1 2]\n', 1, 8, 'expected "," or "]"'],
      ['a = [\n  1\n  2\n]\n', 3, 3, 'expected "," or "]"'],
      ['a = { x = 1 y = 2 }\n', 1, 13, 'expected ",", a newline or "}" after an object value'],
      ['a = {\n  b\n  = 1\n}\n', 2, 4, 'expected "=" or ":" after an object key'],
      ['a = "abc\nb = 1\n', 1, 5, 'unterminated string'],
      ['a = "\\q"\n', 1, 6, 'invalid escape sequence'],
      ['a = "\\u12"\n', 1, 6, 'invalid unicode escape'],
      ['a = "\\ud800"\n', 1, 6, 'invalid unicode escape'],
      ['a = 1.\n', 1, 5, 'invalid number'],
      ['a = .5\n', 1, 5, 'unexpected character'],
      ['a = 1 /* open\n', 1, 7, 'unterminated comment'],
      ['path "a" {\n  x = 1\n', 3, 1, 'unterminated block (missing "}")'],
      ['a {} b {}\n', 1, 6, 'expected a newline after a block'],
      ['a { x = 1 y = 2 }\n', 1, 11, 'a single-line block must end with "}" after its attribute'],
      ['a { b {} }\n', 1, 7, 'a single-line block may hold only one attribute'],
      ['p "x" {\n  a = 1 }\n', 2, 9, 'expected a newline after an attribute'],
      ['a = <<EOF\nx\n', 1, 5, 'unterminated heredoc (no closing marker line)'],
      ['a = <<EOF\nx\nEOF', 1, 5, 'unterminated heredoc (no closing marker line)'],
      ['a = <<EOF \nx\nEOF\n', 1, 5, 'a heredoc marker must be followed by a newline'],
      ['seal "a" {}\nseal {}\n', 2, 1, 'blocks of the same type have different numbers of labels'],
      ['path "a/${x}" {}\n', 1, 9, 'template sequences are not allowed here; write $${ for a literal'],
      ['"k" = 1\n', 1, 1, 'expected an attribute or block name'],
      ['a = [1,\n', 1, 5, 'unterminated list (missing "]")'],
    ];
    for (const [text, line, column, reason] of cases) {
      syntaxError(text, line, column, reason);
      await hcl2jsonRejects(text); // the reference rejects these too
    }
  });

  it('refuses what it does not mirror, clearly', () => {
    syntaxError('a = "%{ if x }y%{ endif }"\n', 1, 6, /^template directives/);
    syntaxError('a = "${1 + 2}"\n', 1, 6, /^unsupported interpolation/);
    syntaxError('a = "${upper(x)}"\n', 1, 6, /^unsupported interpolation/);
    syntaxError('a = "${~ x}"\n', 1, 6, /^unsupported interpolation/);
    syntaxError('a = "${true}"\n', 1, 6, /^unsupported interpolation/);
    syntaxError('a = <<EOF\n  %{ for x in y }\nEOF\n', 2, 3, /^template directives/);
    syntaxError('a = foo\n', 1, 5, /^unsupported expression/);
    syntaxError('a = 1 + 2\n', 1, 7, 'expected a newline after an attribute');
    // hcl2json keeps the attribute and silently drops the block; refusing is safer for policies.
    syntaxError('path = "x"\npath "a" {}\n', 2, 1, 'an attribute and a block share a name');
    syntaxError('path "a" {}\npath = "x"\n', 2, 1, 'an attribute and a block share a name');
  });

  it('never echoes the text being parsed', () => {
    const secret = 's3cr3t-v4lue';
    const texts = [
      `path "a" {\n  allowed_parameters = { "k" = ["${secret}" }\n}\n`,
      `a = "${secret}\n`,
      `a = "${secret}\\q"\n`,
      `a = ${secret}\n`,
      `a = "\${${secret}()}"\n`,
      `${secret} = = 1\n`,
      `a = <<EOF\n${secret}\n`,
    ];
    for (const text of texts) {
      assert.throws(() => parseHcl(text, 'x.hcl'), (err: unknown) => {
        assert.ok(err instanceof HclSyntaxError);
        assert.doesNotMatch(err.message, /s3cr3t/);
        return true;
      });
    }
  });
});
