/**
 * The certificates a mutual-TLS client presented, for cert auth: its leaf first, then the rest of
 * its chain as Node links it by `issuerCertificate` from what the client sent (Node may append an
 * issuer from the listener's own CA store). All DER; none of it is trusted here.
 *
 * Node 20 may drop part of a chain sent out of order (it stops when an issuer was the last one it
 * had left), so clients send the leaf's issuer first, as TLS 1.2 requires. getPeerX509Certificate
 * would keep the sent order but empties the connection's stored chain, breaking later requests.
 */
import type { Socket } from 'node:net';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

const MAX_CHAIN = 8;

export function peerCertificates(socket: Socket): Buffer[] | undefined {
  const tls = socket as TLSSocket;
  const leaf = typeof tls.getPeerCertificate === 'function' ? tls.getPeerCertificate(true) : undefined;
  if (!leaf?.raw) return undefined;
  const out = [leaf.raw];
  const seen = new Set([leaf.fingerprint256]);
  // A self-signed top is its own issuerCertificate: stop at the first certificate seen twice.
  for (let c: DetailedPeerCertificate | undefined = leaf.issuerCertificate; c?.raw && !seen.has(c.fingerprint256) && out.length < MAX_CHAIN; c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(c.raw);
  }
  return out;
}
