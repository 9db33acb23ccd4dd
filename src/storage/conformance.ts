/**
 * The storage conformance suite. Every implementation's test file calls
 * `exerciseStorage(name, make)`; `make` returns a fresh, empty store for each test.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { InvalidRequest, StorageError } from '../errors.js';
import { childrenOf, type Storage, type Transactional, type TxOperation } from './types.js';
import { isWellFormed } from './validate.js';

type Store = Storage & Transactional;

const ODD_KEYS = [
  'with space',
  'tab\tand\nnewline',
  'unicode/héllo/日本語/😀',
  'percent%2Fencoded%',
  '../dot/./segments/..',
  `quotes/'single'/"double"/\`back\``,
  'a//b',
  '/leading',
  'trailing/',
  'nul\u0000byte',
  'semi;colon?query=1&x#frag',
  'backslash\\path',
  'x'.repeat(2000),
];

/** A small deterministic generator (mulberry32), so failures reproduce. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function withStore(make: () => Promise<Store>, body: (s: Store) => Promise<void>): Promise<void> {
  const s = await make();
  try {
    await body(s);
  } finally {
    await s.close();
  }
}

export function exerciseStorage(name: string, make: () => Promise<Store>): void {
  const run = (body: (s: Store) => Promise<void>) => () => withStore(make, body);

  describe(`storage conformance: ${name}`, () => {
    test('get of a missing key is undefined', run(async (s) => {
      assert.equal(await s.get('missing'), undefined);
      assert.equal(await s.get('missing/nested/key'), undefined);
    }));

    test('put, get and overwrite', run(async (s) => {
      await s.put('k', Buffer.from('one'));
      assert.deepEqual(await s.get('k'), Buffer.from('one'));
      await s.put('k', Buffer.from('two, longer'));
      assert.deepEqual(await s.get('k'), Buffer.from('two, longer'));
      await s.put('k', Buffer.from('3'));
      assert.deepEqual(await s.get('k'), Buffer.from('3'));
    }));

    test('stored bytes cannot be changed through the caller\'s buffers', run(async (s) => {
      const input = Buffer.from('original');
      await s.put('k', input);
      input.fill(0);
      const out = await s.get('k');
      assert.deepEqual(out, Buffer.from('original'));
      out!.fill(0);
      assert.deepEqual(await s.get('k'), Buffer.from('original'));
    }));

    test('a Uint8Array value is accepted and comes back as a Buffer', run(async (s) => {
      await s.put('u8', new Uint8Array([1, 2, 3]) as unknown as Buffer);
      const out = await s.get('u8');
      assert.ok(Buffer.isBuffer(out));
      assert.deepEqual(out, Buffer.from([1, 2, 3]));
    }));

    test('delete removes a key; deleting a missing key is fine', run(async (s) => {
      await s.put('a/b', Buffer.from('x'));
      await s.put('a/c', Buffer.from('y'));
      await s.delete('a/b');
      assert.equal(await s.get('a/b'), undefined);
      assert.deepEqual(await s.get('a/c'), Buffer.from('y'));
      assert.deepEqual(await s.list('a/'), ['c']);
      await s.delete('a/b');
      await s.delete('never/existed');
      await s.delete('a/c');
      assert.deepEqual(await s.list(''), []);
      assert.deepEqual(await s.list('a/'), []);
    }));

    test('keys with odd characters round-trip and list like childrenOf', run(async (s) => {
      for (const [i, key] of ODD_KEYS.entries()) await s.put(key, Buffer.from(`v${i}`));
      for (const [i, key] of ODD_KEYS.entries()) assert.deepEqual(await s.get(key), Buffer.from(`v${i}`), key);
      const prefixes = new Set<string>(['']);
      for (const key of ODD_KEYS) for (let i = 0; i <= key.length; i++) if (key[i - 1] === '/' || i === key.length) prefixes.add(key.slice(0, i));
      for (const prefix of prefixes) assert.deepEqual(await s.list(prefix), childrenOf(prefix, ODD_KEYS), prefix);
      assert.deepEqual(await s.list('a/'), ['/']);
      assert.deepEqual(await s.list('a//'), ['b']);
      assert.deepEqual(await s.list('/'), ['leading']);
      assert.deepEqual(await s.list('trailing/'), []);
    }));

    test('empty and large values round-trip byte-exact', run(async (s) => {
      await s.put('empty', Buffer.alloc(0));
      const empty = await s.get('empty');
      assert.ok(Buffer.isBuffer(empty));
      assert.equal(empty!.length, 0);
      const big = randomBytes(1024 * 1024 + 7);
      await s.put('big', big);
      const back = await s.get('big');
      assert.equal(back!.length, big.length);
      assert.ok(back!.equals(big));
      const zeros = Buffer.alloc(300_000);
      await s.put('zeros', zeros);
      assert.ok((await s.get('zeros'))!.equals(zeros));
      assert.deepEqual(await s.list(''), ['big', 'empty', 'zeros']);
    }));

    test('list: immediate children, folders with a trailing slash, sorted', run(async (s) => {
      const keys = ['foo', 'foo/bar', 'foo/baz/qux', 'foo/baz/deep/er', 'foo/zip', 'food', 'fob/x', 'zeta', 'Zeta', 'a.b', 'a/'];
      for (const key of keys.slice().reverse()) await s.put(key, Buffer.from(key));
      assert.deepEqual(await s.list(''), ['Zeta', 'a.b', 'a/', 'fob/', 'foo', 'foo/', 'food', 'zeta']);
      assert.deepEqual(await s.list('foo/'), ['bar', 'baz/', 'zip']);
      assert.deepEqual(await s.list('foo/baz/'), ['deep/', 'qux']);
      assert.deepEqual(await s.list('foo/bar/'), []);
      assert.deepEqual(await s.list('nope/'), []);
      // A key ending in '/' makes a folder but is not itself listed inside it.
      assert.deepEqual(await s.list('a/'), []);
      // A prefix without a trailing slash is literal, as in Vault's physical backends.
      assert.deepEqual(await s.list('foo'), ['/', 'd']);
      assert.deepEqual(await s.list('fo'), ['b/', 'o', 'o/', 'od']);
      assert.deepEqual(await s.list('foo/b'), ['ar', 'az/']);
      assert.deepEqual(await s.list('foo/baz/qu'), ['x']);
      // Removing a folder's last key removes the folder.
      await s.delete('fob/x');
      await s.delete('foo/baz/qux');
      await s.delete('foo/baz/deep/er');
      assert.deepEqual(await s.list(''), ['Zeta', 'a.b', 'a/', 'foo', 'foo/', 'food', 'zeta']);
      assert.deepEqual(await s.list('foo/'), ['bar', 'zip']);
    }));

    test('list sorts like JavaScript whatever the underlying collation', run(async (s) => {
      // U+FF61 sorts after U+1F600 by code point but before it by UTF-16 code unit.
      const keys = ['\uFF61', '😀', 'é', 'z', 'Z', '~', '\u007F', ' '];
      for (const key of keys) await s.put(key, Buffer.from('v'));
      assert.deepEqual(await s.list(''), keys.slice().sort());
    }));

    test('random puts and deletes list exactly like childrenOf', run(async (s) => {
      const rand = seeded(20240607);
      const alphabet = ['a', 'b', '/', '/', 'é', '😀', '.', 'a/'];
      const model = new Set<string>();
      const randomKey = () => {
        let k = '';
        const n = 1 + Math.floor(rand() * 6);
        for (let i = 0; i < n; i++) k += alphabet[Math.floor(rand() * alphabet.length)];
        return k;
      };
      for (let i = 0; i < 600; i++) {
        const key = randomKey();
        if (rand() < 0.7) {
          await s.put(key, Buffer.from(key));
          model.add(key);
        } else {
          await s.delete(key);
          model.delete(key);
        }
      }
      const prefixes = new Set<string>(['']);
      for (const key of model) for (let i = 0; i <= key.length; i++) prefixes.add(key.slice(0, i));
      for (let i = 0; i < 50; i++) prefixes.add(randomKey());
      for (const prefix of prefixes) {
        if (!isWellFormed(prefix)) continue;
        assert.deepEqual(await s.list(prefix), childrenOf(prefix, model), JSON.stringify(prefix));
      }
      for (const key of model) assert.deepEqual(await s.get(key), Buffer.from(key));
    }));

    test('200 concurrent writers: no lost keys, last write wins', run(async (s) => {
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 200; i++) {
        writes.push(s.put(`distinct/${i}`, Buffer.from(String(i))));
        writes.push(s.put('same', Buffer.from(String(i))));
      }
      await Promise.all(writes);
      const listed = await s.list('distinct/');
      assert.equal(listed.length, 200);
      const reads = await Promise.all(listed.map((k) => s.get(`distinct/${k}`)));
      for (const [i, k] of listed.entries()) assert.deepEqual(reads[i], Buffer.from(k));
      assert.deepEqual(await s.get('same'), Buffer.from('199'));
    }));

    test('concurrent mixed puts and deletes settle in call order', run(async (s) => {
      await s.put('x', Buffer.from('0'));
      await Promise.all([s.delete('x'), s.put('x', Buffer.from('1')), s.put('y', Buffer.from('1')), s.delete('y')]);
      assert.deepEqual(await s.get('x'), Buffer.from('1'));
      assert.equal(await s.get('y'), undefined);
    }));

    test('transaction applies puts and deletes together', run(async (s) => {
      await s.put('old', Buffer.from('o'));
      await s.transaction([
        { op: 'put', key: 't/a', value: Buffer.from('a') },
        { op: 'put', key: 't/b', value: Buffer.from('b') },
        { op: 'delete', key: 'old' },
        { op: 'put', key: 't/a', value: Buffer.from('a2') },
        { op: 'delete', key: 'not/there' },
      ]);
      assert.deepEqual(await s.get('t/a'), Buffer.from('a2'));
      assert.deepEqual(await s.get('t/b'), Buffer.from('b'));
      assert.equal(await s.get('old'), undefined);
      assert.deepEqual(await s.list(''), ['t/']);
      await s.transaction([]);
      assert.deepEqual(await s.list('t/'), ['a', 'b']);
    }));

    test('a transaction with one invalid operation applies nothing', run(async (s) => {
      await s.put('keep', Buffer.from('k'));
      const bad: unknown[][] = [
        [{ op: 'put', key: 'p', value: 'not a buffer' }],
        [{ op: 'put', key: 'p', value: undefined }],
        [{ op: 'put', key: '', value: Buffer.from('x') }],
        [{ op: 'delete', key: 42 }],
        [{ op: 'rename', key: 'p' }],
        [null],
      ];
      for (const tail of bad) {
        const ops = [
          { op: 'put', key: 'p', value: Buffer.from('x') },
          { op: 'delete', key: 'keep' },
          ...tail,
        ] as unknown as TxOperation[];
        await assert.rejects(s.transaction(ops), InvalidRequest);
      }
      await assert.rejects(s.transaction('nope' as unknown as TxOperation[]), InvalidRequest);
      assert.equal(await s.get('p'), undefined);
      assert.deepEqual(await s.get('keep'), Buffer.from('k'));
      assert.deepEqual(await s.list(''), ['keep']);
    }));

    test('invalid keys, prefixes and values are rejected with InvalidRequest', run(async (s) => {
      await assert.rejects(s.put('k', 'text' as unknown as Buffer), InvalidRequest);
      await assert.rejects(s.put('k', null as unknown as Buffer), InvalidRequest);
      await assert.rejects(s.put('', Buffer.from('x')), InvalidRequest);
      await assert.rejects(s.put('lone\uD800surrogate', Buffer.from('x')), InvalidRequest);
      await assert.rejects(s.get(7 as unknown as string), InvalidRequest);
      await assert.rejects(s.delete(undefined as unknown as string), InvalidRequest);
      await assert.rejects(s.list(undefined as unknown as string), InvalidRequest);
      await assert.rejects(s.list('\uDC00'), InvalidRequest);
      assert.deepEqual(await s.list(''), []);
    }));

    test('every call after close fails with StorageError', async () => {
      const s = await make();
      await s.put('k', Buffer.from('v'));
      await s.close();
      await assert.rejects(s.get('k'), StorageError);
      await assert.rejects(s.put('k', Buffer.from('v')), StorageError);
      await assert.rejects(s.delete('k'), StorageError);
      await assert.rejects(s.list(''), StorageError);
      await assert.rejects(s.transaction([]), StorageError);
    });
  });
}
