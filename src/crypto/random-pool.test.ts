import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pooledRandomBytes, randomBase62 } from './random-pool.js';

describe('pooled CSPRNG draws', () => {
  it('gives buffers of the requested size that share no memory and repeat no draw', () => {
    const seen = new Set<string>();
    const buffers: Buffer[] = [];
    // Several refills of the 4 KiB pool, with sizes that do not divide it.
    for (let i = 0; i < 2000; i++) {
      const b = pooledRandomBytes(12);
      assert.equal(b.length, 12);
      seen.add(b.toString('hex'));
      buffers.push(b);
    }
    assert.equal(seen.size, 2000);
    const first = buffers[0].toString('hex');
    pooledRandomBytes(100).fill(0);
    assert.equal(buffers[0].toString('hex'), first, 'a later draw does not touch an earlier buffer');
    assert.equal(pooledRandomBytes(0).length, 0);
    assert.equal(pooledRandomBytes(5000).length, 5000, 'large draws bypass the pool');
  });

  it('draws roughly uniform bytes', () => {
    const counts = new Array(256).fill(0);
    for (let i = 0; i < 1000; i++) for (const byte of pooledRandomBytes(64)) counts[byte]++;
    // 64,000 bytes: 250 expected per value; a stuck or zeroed pool would be far outside this.
    assert.ok(Math.min(...counts) > 150 && Math.max(...counts) < 350, `${Math.min(...counts)}..${Math.max(...counts)}`);
  });

  it('randomBase62: the requested length, every one of the 62 characters in use', () => {
    const chars = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const id = randomBase62(24);
      assert.match(id, /^[A-Za-z0-9]{24}$/);
      for (const c of id) chars.add(c);
    }
    assert.equal(chars.size, 62);
    assert.equal(randomBase62(0), '');
    assert.equal(randomBase62(300).length, 300);
  });
});
