/** Named keys at chosen instants: creation, lazy rotation, retirement and expiry, algorithm changes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNamedKey, maintain, needsMaintenance, reconfigure, rotate, verificationKeys } from './named-key.js';

const HOUR = 3600;
const T0 = Date.UTC(2026, 0, 1);
const settings = { algorithm: 'ES256', rotationPeriod: HOUR, verificationTtl: 2 * HOUR, allowedClientIds: ['*'] };
const kids = (jwks: { kid?: string }[]) => jwks.map((k) => k.kid);

test('a new key publishes its signing and next keys; private parts are not in the ring', async () => {
  const key = await createNamedKey(settings, T0);
  assert.deepEqual(kids(verificationKeys(key, T0)), [key.signing.kid, key.next.kid]);
  assert.equal(key.nextRotation, T0 + HOUR * 1000);
  for (const jwk of verificationKeys(key, T0)) {
    assert.equal(jwk.d, undefined);
    assert.equal(jwk.use, 'sig');
    assert.equal(jwk.alg, 'ES256');
  }
});

test('lazy rotation: nothing before the period ends; after it, the next key signs and the old one retires from the due time', async () => {
  const key = await createNamedKey(settings, T0);
  assert.equal(await maintain(key, T0 + HOUR * 1000 - 1), undefined);
  assert.equal(needsMaintenance(key, T0 + HOUR * 1000 - 1), false);
  assert.equal(needsMaintenance(key, T0 + HOUR * 1000), true);
  const late = T0 + 2 * HOUR * 1000;
  const rotated = (await maintain(key, late))!;
  assert.equal(rotated.signing.kid, key.next.kid);
  assert.equal(rotated.nextRotation, late + HOUR * 1000);
  // Retired at the due time (T0 + 1h), verifiable for verification_ttl (2h) after that.
  assert.equal(rotated.keyRing.find((e) => e.kid === key.signing.kid)!.expireAt, T0 + 3 * HOUR * 1000);
  assert.ok(kids(verificationKeys(rotated, late)).includes(key.signing.kid));
  const muchLater = await maintain(key, T0 + 5 * HOUR * 1000);
  assert.ok(!muchLater!.keyRing.some((e) => e.kid === key.signing.kid), 'a key whose deadline passed leaves the ring');
});

test('a manual rotation keeps the old public key exactly until verification_ttl (or the override)', async () => {
  const key = await createNamedKey(settings, T0);
  const once = await rotate(key, T0);
  assert.ok(kids(verificationKeys(once, T0 + 2 * HOUR * 1000 - 1)).includes(key.signing.kid));
  assert.ok(!kids(verificationKeys(once, T0 + 2 * HOUR * 1000)).includes(key.signing.kid));
  const notDue = { ...once, nextRotation: T0 + 10 * HOUR * 1000 };
  assert.equal(needsMaintenance(notDue, T0 + 2 * HOUR * 1000 - 1), false);
  assert.equal(needsMaintenance(notDue, T0 + 2 * HOUR * 1000), true, 'an expired public key is due to leave the ring');
  const twice = await rotate(once, T0, { verificationTtlOverride: 0 });
  assert.ok(!kids(verificationKeys(twice, T0)).includes(once.signing.kid));
  assert.equal(twice.keyRing.filter((e) => e.expireAt === undefined).length, 2, 'only the signing and next keys have no deadline');
});

test('a new algorithm replaces both key pairs; the old signing key stays verifiable, the unused next key goes', async () => {
  const key = await createNamedKey(settings, T0);
  const changed = await reconfigure(key, { ...settings, algorithm: 'EdDSA' }, T0);
  assert.equal(changed.algorithm, 'EdDSA');
  assert.notEqual(changed.signing.kid, key.signing.kid);
  const published = kids(verificationKeys(changed, T0));
  assert.ok(published.includes(key.signing.kid));
  assert.ok(!published.includes(key.next.kid));
  const shorter = await reconfigure(key, { ...settings, rotationPeriod: 60 }, T0);
  assert.equal(shorter.nextRotation, T0 + 60_000);
  assert.equal(shorter.signing.kid, key.signing.kid);
});
