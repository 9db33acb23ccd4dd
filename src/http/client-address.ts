/**
 * The client's address as the core should see it: the socket peer, or, behind a trusted load
 * balancer, the address it names in X-Forwarded-For (Vault's x_forwarded_for_* listener keys).
 */
import type { IncomingMessage } from 'node:http';
import { InvalidRequest } from '../errors.js';
import { remoteAddressAllowed } from '../core/tokens/cidr.js';
import type { XForwardedForConfig } from '../config/types.js';

export function clientAddress(req: IncomingMessage, xff?: XForwardedForConfig): string {
  const peer = req.socket.remoteAddress ?? '';
  if (!xff || xff.authorizedAddrs.length === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');
  if (hops.length === 0) {
    if (xff.rejectNotPresent) throw new InvalidRequest('missing x-forwarded-for header and configured to reject when not present');
    return peer;
  }
  if (!remoteAddressAllowed(peer, xff.authorizedAddrs)) {
    if (xff.rejectNotAuthorized) throw new InvalidRequest('client address not authorized for x-forwarded-for and configured to reject connection');
    return peer;
  }
  const index = hops.length - 1 - xff.hopSkips;
  if (index < 0) throw new InvalidRequest('malformed x-forwarded-for configuration or request, hops to skip would skip before the first hop');
  return hops[index];
}
