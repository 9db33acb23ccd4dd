import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPasswordVerifier, decodePasswordHash, hashPassword } from './password-hash.js';

const CHEAP = { logN: 10, r: 8, p: 1 };


test('hash format is versioned and self-describing; each hash has its own salt', async () => {
  const a = await hashPassword('hunter2', CHEAP);
  const b = await hashPassword('hunter2', CHEAP);
  assert.match(a, /^\$scrypt\$v=1\$ln=10,r=8,p=1\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/);
  assert.notEqual(a, b);
  const decoded = decodePasswordHash(a)!;
  assert.equal(decoded.salt.length, 16);
  assert.equal(decoded.key.length, 32);
  assert.equal(decodePasswordHash(a.replace('v=1', 'v=2')), undefined);
});

test('verify: right password, wrong password, unknown user, corrupted hash', async () => {
  const v = createPasswordVerifier(CHEAP);
  const stored = await v.hash('correct horse');
  assert.equal(await v.verify('correct horse', stored), true);
  assert.equal(await v.verify('correct horsf', stored), false);
  assert.equal(await v.verify('correct horse', undefined), false);
  assert.equal(await v.verify('arca-dummy-password', undefined), false);
  assert.equal(await v.verify('correct horse', stored.slice(0, -4)), false);
});

test('a stored hash keeps verifying under its own recorded cost (known answer)', async () => {
  // Derived once with node:crypto scrypt(N=1024,r=8,p=1,dkLen=32); pins the layout and parameters.
  const { scryptSync } = await import('node:crypto');
  const salt = Buffer.from('0123456789abcdef');
  const key = scryptSync('hunter2', salt, 32, { N: 1024, r: 8, p: 1 });
  const encoded = `$scrypt$v=1$ln=10,r=8,p=1$${salt.toString('base64')}$${key.toString('base64')}`;
  const v = createPasswordVerifier({ logN: 11, r: 8, p: 1 });
  assert.equal(await v.verify('hunter2', encoded), true);
  assert.equal(await v.verify('hunter3', encoded), false);
});
