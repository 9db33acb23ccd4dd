import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { canonicalRequestPath, nonCanonicalReason } from './path.js';

describe('canonicalRequestPath', () => {
  it('decodes percent-encoding and keeps case and a trailing slash', () => {
    assert.equal(canonicalRequestPath('secret/foo'), 'secret/foo');
    assert.equal(canonicalRequestPath('secret/Foo/'), 'secret/Foo/');
    assert.equal(canonicalRequestPath('secret/a%20b'), 'secret/a b');
    assert.equal(canonicalRequestPath('secret%2Ffoo'), 'secret/foo');
    assert.equal(canonicalRequestPath('secret/a.b/..c/...'), 'secret/a.b/..c/...');
    assert.equal(canonicalRequestPath('secret/a+b'), 'secret/a+b');
    assert.equal(canonicalRequestPath(''), '');
  });

  it('refuses every spelling that could reach another path', () => {
    const cases: Array<[string, RegExp]> = [
      ['secret/foo/../bar', /"\." or "\.\." segments/],
      ['secret/./bar', /"\." or "\.\." segments/],
      ['..', /"\." or "\.\." segments/],
      ['secret/foo/..', /"\." or "\.\." segments/],
      ['secret/%2e%2e/bar', /"\." or "\.\." segments/],
      ['secret/%2E%2E%2Fbar', /"\." or "\.\." segments/],
      ['secret%2F..%2Fbar', /"\." or "\.\." segments/],
      ['secret/%2e/bar', /"\." or "\.\." segments/],
      ['secret//bar', /empty segments/],
      ['secret/%2Fbar', /empty segments/],
      ['/secret/bar', /empty segments/],
      ['secret/bar//', /empty segments/],
      ['/', /empty segments/],
      ['secret/%00', /control character/],
      ['secret/a%0Ab', /control character/],
      ['secret/%zz', /invalid percent-encoding/],
      ['secret/%E0%A4%A', /invalid percent-encoding/],
      ['secret/a?b', /query or fragment/],
    ];
    for (const [raw, message] of cases) {
      assert.throws(() => canonicalRequestPath(raw), (err: unknown) => {
        assert.ok(err instanceof InvalidRequest, raw);
        assert.match(err.message, message, raw);
        return true;
      });
    }
  });

  it('nonCanonicalReason accepts canonical decoded paths', () => {
    assert.equal(nonCanonicalReason('a/b/'), undefined);
    assert.equal(nonCanonicalReason('a/../b'), 'path must not contain "." or ".." segments');
  });

  it('nonCanonicalReason gives the reason the segment-by-segment definition gives, for every short path', () => {
    // The definition: a control character anywhere, else the first "."/".." or empty segment
    // (a single trailing "/" is allowed).
    const reference = (path: string): string | undefined => {
      if (/[\u0000-\u001f\u007f]/.test(path)) return 'path contains a control character';
      const segments = path.split('/');
      for (let i = 0; i < segments.length; i++) {
        if (segments[i] === '.' || segments[i] === '..') return 'path must not contain "." or ".." segments';
        if (segments[i] === '' && i !== segments.length - 1 && path !== '') return 'path must not contain empty segments';
      }
      return undefined;
    };
    const alphabet = ['a', '.', '/', '\u0000', '\u007f', 'é'];
    let paths = [''];
    for (let length = 1; length <= 6; length++) {
      paths = paths.flatMap((p) => (p.length === length - 1 ? alphabet.map((c) => p + c) : []));
      for (const path of paths) assert.equal(nonCanonicalReason(path), reference(path), JSON.stringify(path));
    }
    assert.equal(nonCanonicalReason('a/../b\u0001'), 'path contains a control character');
    assert.equal(nonCanonicalReason('.../..a/a..'), undefined);
  });
});
