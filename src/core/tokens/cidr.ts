/** Bound CIDRs on tokens: is the caller's address inside one of the token's networks? */
import { BlockList, isIP } from 'node:net';

function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** Parses "10.0.0.0/8", "192.168.1.7" or "fd00::/8". Returns undefined when malformed. */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [rawAddress, rawPrefix, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const address = normalizeAddress(rawAddress);
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (rawPrefix === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(rawPrefix)) return undefined;
  const prefix = Number(rawPrefix);
  if (prefix > max) return undefined;
  return { address, prefix, family };
}

export function validCidrs(cidrs: readonly string[]): boolean {
  return cidrs.every((c) => parseCidr(c) !== undefined);
}

/** True when `cidrs` is empty or `remoteAddress` lies inside one of them. */
export function remoteAddressAllowed(remoteAddress: string, cidrs: readonly string[]): boolean {
  if (cidrs.length === 0) return true;
  const address = normalizeAddress(remoteAddress);
  const version = isIP(address);
  if (version === 0) return false;
  const list = new BlockList();
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}
