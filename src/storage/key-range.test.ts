import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prefixSuccessor } from './key-range.js';

const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

test('prefixSuccessor raises the last code point', () => {
  assert.equal(prefixSuccessor('a/'), 'a0');
  assert.equal(prefixSuccessor('abc'), 'abd');
  assert.equal(prefixSuccessor('x\u0000'), 'x\u0001');
  assert.equal(prefixSuccessor('\uD7FF'), '\uE000');
  assert.equal(prefixSuccessor('a😀'), 'a😁');
  assert.equal(prefixSuccessor('a\uFFFF'), 'a\u{10000}');
  assert.equal(prefixSuccessor('a\u{10FFFF}'), 'b');
  assert.equal(prefixSuccessor('\u{10FFFF}\u{10FFFF}'), undefined);
  assert.equal(prefixSuccessor(''), undefined);
});

test('every extension of a prefix sorts inside [prefix, successor) by UTF-8 bytes', () => {
  const tails = ['', '\u0000', '/', 'zz', '\uFFFF', '😀', '\u{10FFFF}\u{10FFFF}', 'é/x'];
  for (const prefix of ['a/', 'a', 'é', '😀/', 'a\uFFFF', 'k\u{10FFFF}']) {
    const end = prefixSuccessor(prefix)!;
    for (const tail of tails) {
      const key = prefix + tail;
      assert.ok(byCodePoint(key, prefix) >= 0, key);
      assert.ok(byCodePoint(key, end) < 0, key);
    }
    // And nothing that does not start with the prefix falls inside the range just above it.
    assert.ok(!end.startsWith(prefix));
  }
});
