/** A PKI role and the pure rules it applies to requested names (no HTTP, no storage). */
import { isIP } from 'node:net';
import { InvalidRequest } from '../../errors.js';

export interface Role {
  ttl: number;
  max_ttl: number;
  allow_localhost: boolean;
  allowed_domains: string[];
  allow_bare_domains: boolean;
  allow_subdomains: boolean;
  allow_glob_domains: boolean;
  allow_wildcard_certificates: boolean;
  allow_any_name: boolean;
  enforce_hostnames: boolean;
  allow_ip_sans: boolean;
  server_flag: boolean;
  client_flag: boolean;
  code_signing_flag: boolean;
  email_protection_flag: boolean;
  key_type: string;
  key_bits: number;
  key_usage: string[];
  ext_key_usage: string[];
  ext_key_usage_oids: string[];
  use_csr_common_name: boolean;
  use_csr_sans: boolean;
  require_cn: boolean;
  organization: string[];
  ou: string[];
  country: string[];
  no_store: boolean;
  generate_lease: boolean;
  not_before_duration: number;
}

export const ROLE_DEFAULTS: Role = {
  ttl: 0,
  max_ttl: 0,
  allow_localhost: true,
  allowed_domains: [],
  allow_bare_domains: false,
  allow_subdomains: false,
  allow_glob_domains: false,
  allow_wildcard_certificates: true,
  allow_any_name: false,
  enforce_hostnames: true,
  allow_ip_sans: true,
  server_flag: true,
  client_flag: true,
  code_signing_flag: false,
  email_protection_flag: false,
  key_type: 'rsa',
  key_bits: 0,
  key_usage: ['DigitalSignature', 'KeyAgreement', 'KeyEncipherment'],
  ext_key_usage: [],
  ext_key_usage_oids: [],
  use_csr_common_name: true,
  use_csr_sans: true,
  require_cn: true,
  organization: [],
  ou: [],
  country: [],
  no_store: false,
  generate_lease: false,
  not_before_duration: 30,
};

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

export function isHostname(name: string): boolean {
  const bare = name.startsWith('*.') ? name.slice(2) : name;
  if (bare.length === 0 || bare.length > 253) return false;
  return bare.replace(/\.$/, '').split('.').every((label) => LABEL.test(label));
}

/** Glob with `*` matching any run of characters (Vault's glob.Glob). */
export function globMatch(pattern: string, value: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${escaped}$`, 'i').test(value);
}

function domainAllowed(role: Role, name: string): boolean {
  const lower = name.toLowerCase();
  if (role.allow_localhost && (lower === 'localhost' || lower === 'localdomain')) return true;
  const isWildcard = lower.startsWith('*.');
  if (isWildcard && !role.allow_wildcard_certificates) return false;
  for (const raw of role.allowed_domains) {
    const domain = raw.toLowerCase();
    if (domain === '') continue;
    if (role.allow_bare_domains && lower === domain) return true;
    if (role.allow_subdomains && lower.endsWith(`.${domain}`) && lower.length > domain.length + 1) return true;
    if (role.allow_glob_domains && domain.includes('*') && globMatch(domain, lower)) return true;
    // A wildcard for exactly the allowed domain: "*.example.com" under allow_subdomains.
    if (role.allow_subdomains && isWildcard && lower.slice(2) === domain) return true;
  }
  return false;
}

/** Throws InvalidRequest (400) when the role does not allow one of the names. */
export function checkNames(role: Role, names: { commonName: string; dnsNames: string[]; ipSans: string[] }): void {
  if (role.require_cn && names.commonName === '') throw new InvalidRequest('the common_name field is required');
  const hostnames = [names.commonName, ...names.dnsNames].filter((n) => n !== '');
  for (const name of hostnames) {
    if (isIP(name)) {
      if (!role.allow_ip_sans) throw new InvalidRequest('IP Subject Alternative Names are not allowed in this role');
      continue;
    }
    if (role.enforce_hostnames && !name.includes('@') && !isHostname(name)) {
      throw new InvalidRequest('a requested name is not a valid hostname');
    }
    if (!role.allow_any_name && !domainAllowed(role, name)) {
      throw new InvalidRequest(name === names.commonName ? 'common name not allowed by this role' : 'subject alternative name not allowed by this role');
    }
  }
  if (names.ipSans.length > 0 && !role.allow_ip_sans) {
    throw new InvalidRequest('IP Subject Alternative Names are not allowed in this role');
  }
  for (const ip of names.ipSans) if (!isIP(ip)) throw new InvalidRequest('an ip_sans value is not a valid IP address');
}
