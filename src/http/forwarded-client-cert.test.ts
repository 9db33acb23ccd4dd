import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FORWARDED_CERT_HEADER, FORWARDED_CERT_MAC_HEADER, forwardedCertHeaders, verifiedForwardedCerts } from './forwarded-client-cert.js';

const key = randomBytes(32);
const chain = [Buffer.from('leaf-der'), Buffer.from('intermediate-der')];
const now = 1_800_000_000_000;

function arriving(headers: Record<string, string>, method = 'POST', url = '/v1/auth/cert/login'): IncomingMessage {
  return { headers, method, url } as unknown as IncomingMessage;
}

test('a chain signed by a standby verifies on the active; anything altered, stale or unsigned does not', () => {
  const headers = forwardedCertHeaders(key, 'POST', '/v1/auth/cert/login', chain, now);
  assert.deepEqual(verifiedForwardedCerts(key, arriving(headers), now + 1000), chain);

  const otherChain = forwardedCertHeaders(key, 'POST', '/v1/auth/cert/login', [Buffer.from('forged')], now)[FORWARDED_CERT_HEADER];
  const refused: Array<[string, Buffer | undefined, IncomingMessage, number]> = [
    ['another chain under the same MAC', key, arriving({ ...headers, [FORWARDED_CERT_HEADER]: otherChain }), now],
    ['another path', key, arriving(headers, 'POST', '/v1/auth/cert/login?x=1'), now],
    ['another method', key, arriving(headers, 'PUT'), now],
    ['another key', randomBytes(32), arriving(headers), now],
    ['no key (sealed)', undefined, arriving(headers), now],
    ['older than a minute', key, arriving(headers), now + 60_001],
    ['no MAC', key, arriving({ [FORWARDED_CERT_HEADER]: headers[FORWARDED_CERT_HEADER] }), now],
    ['a MAC without a timestamp', key, arriving({ ...headers, [FORWARDED_CERT_MAC_HEADER]: headers[FORWARDED_CERT_MAC_HEADER].split('.')[1] }), now],
  ];
  for (const [what, k, req, at] of refused) assert.equal(verifiedForwardedCerts(k, req, at), undefined, what);
});
