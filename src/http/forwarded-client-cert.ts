/**
 * A standby that forwards a request to the active node cannot hand over its TLS session, so
 * the client certificate (for cert auth) travels as headers: the DER chain, and an HMAC over it,
 * the method, the URL and a timestamp under a key only unsealed nodes of the cluster can read
 * (src/core/ha/forwarding-key.ts). The active believes the headers only when the MAC checks out
 * and is fresh; a client that sends them itself gets them ignored, and a standby drops any
 * client-sent copy before adding its own.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const FORWARDED_CERT_HEADER = 'x-arca-forwarded-client-cert';
export const FORWARDED_CERT_MAC_HEADER = 'x-arca-forwarded-client-cert-mac';
const MAX_AGE_MS = 60_000;
const MAX_CHAIN = 8;

function mac(key: Buffer, timestamp: string, method: string, url: string, certs: string): Buffer {
  return createHmac('sha256', key).update(`arca forwarded client certificate\n${timestamp}\n${method}\n${url}\n${certs}`).digest();
}

/** The headers a standby adds for the chain its client presented. */
export function forwardedCertHeaders(key: Buffer, method: string, url: string, chain: Buffer[], now = Date.now()): Record<string, string> {
  const certs = chain.map((der) => der.toString('base64')).join(',');
  const timestamp = String(now);
  return {
    [FORWARDED_CERT_HEADER]: certs,
    [FORWARDED_CERT_MAC_HEADER]: `${timestamp}.${mac(key, timestamp, method, url, certs).toString('base64url')}`,
  };
}

/** The chain a standby vouched for, or undefined (no headers, no key, a bad or stale MAC). */
export function verifiedForwardedCerts(key: Buffer | undefined, req: IncomingMessage, now = Date.now()): Buffer[] | undefined {
  const certs = req.headers[FORWARDED_CERT_HEADER];
  const signature = req.headers[FORWARDED_CERT_MAC_HEADER];
  if (!key || typeof certs !== 'string' || typeof signature !== 'string') return undefined;
  const dot = signature.indexOf('.');
  const timestamp = signature.slice(0, dot);
  if (dot <= 0 || !/^\d{1,15}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > MAX_AGE_MS) return undefined;
  const expected = mac(key, timestamp, req.method ?? '', req.url ?? '', certs);
  const given = Buffer.from(signature.slice(dot + 1), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const chain = certs.split(',').slice(0, MAX_CHAIN).map((b64) => Buffer.from(b64, 'base64'));
  return chain.length > 0 && chain.every((der) => der.length > 0) ? chain : undefined;
}
