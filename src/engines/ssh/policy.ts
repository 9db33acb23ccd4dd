/**
 * What a role lets a signing request have: principals, key id, options, extensions, validity.
 * Pure: no storage, no crypto beyond hashing the public key for the default key id.
 */
import { createHash } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import type { SshRole } from './roles-store.js';

export interface SignRequest {
  certType: 'user' | 'host';
  /** Undefined when the caller did not send valid_principals. */
  principals: string[] | undefined;
  ttl: number;
  keyId: string;
  extensions: Record<string, unknown>;
  criticalOptions: Record<string, unknown>;
}

export interface SignContext {
  roleName: string;
  /** The subject key's family and size, for allowed_user_key_lengths. */
  subjectKey: { family: 'rsa' | 'ec' | 'ed25519'; bits: number };
  displayName: string;
  publicKeyBlob: Buffer;
  nowSeconds: number;
  defaultLeaseTtl: number;
  maxLeaseTtl: number;
}

export interface CertificatePlan {
  certType: 'user' | 'host';
  principals: string[];
  keyId: string;
  validAfter: number;
  validBefore: number;
  criticalOptions: Record<string, string>;
  extensions: Record<string, string>;
}

const list = (csv: string): string[] => [...new Set(csv.split(',').map((s) => s.trim()).filter((s) => s !== ''))];

function stringValues(map: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new InvalidRequest('option values must be strings');
    out[k] = String(v);
  }
  return out;
}

function hostAllowed(role: SshRole, allowed: string[], principal: string): boolean {
  return allowed.some((domain) =>
    (principal === domain && role.allow_bare_domains) || (role.allow_subdomains && principal.endsWith('.' + domain)));
}

function principalsFor(role: SshRole, req: SignRequest): string[] {
  const user = req.certType === 'user';
  const requested = req.principals ?? (user && role.default_user !== '' ? [role.default_user] : []);
  const parsed = [...new Set(requested)].sort();
  if (parsed.length > 0) {
    const allowed = list(user ? role.allowed_users : role.allowed_domains);
    if (allowed.length === 0) throw new InvalidRequest('role is not configured to allow any principals');
    if (!allowed.includes('*')) {
      for (const principal of parsed) {
        const ok = user ? allowed.includes(principal) : hostAllowed(role, allowed, principal);
        if (!ok) throw new InvalidRequest('a requested principal is not a valid value for valid_principals');
      }
    }
  }
  if (parsed.length === 0 && !role.allow_empty_principals) throw new InvalidRequest('empty valid principals not allowed by role');
  return parsed;
}

function keyIdFor(role: SshRole, req: SignRequest, ctx: SignContext): string {
  if (req.keyId !== '') {
    if (!role.allow_user_key_ids) throw new InvalidRequest('setting key_id is not allowed by role');
    return req.keyId;
  }
  const hash = createHash('sha256').update(ctx.publicKeyBlob).digest('hex');
  if (role.key_id_format === '') return `vault-${ctx.displayName}-${hash}`;
  return role.key_id_format
    .replaceAll('{{token_display_name}}', ctx.displayName)
    .replaceAll('{{role_name}}', ctx.roleName)
    .replaceAll('{{public_key_hash}}', hash);
}

function criticalOptionsFor(role: SshRole, req: SignRequest): Record<string, string> {
  if (Object.keys(req.criticalOptions).length === 0) return { ...role.default_critical_options };
  const options = stringValues(req.criticalOptions);
  const allowed = list(role.allowed_critical_options);
  // As Vault: an empty allowed list permits any critical option.
  if (allowed.length > 0 && Object.keys(options).some((k) => !allowed.includes(k))) {
    throw new InvalidRequest('critical options not on allowed list');
  }
  return options;
}

function extensionsFor(role: SshRole, req: SignRequest): Record<string, string> {
  if (req.certType !== 'user') return {};
  if (Object.keys(req.extensions).length === 0) return { ...role.default_extensions };
  const extensions = stringValues(req.extensions);
  if (role.allowed_extensions.trim() === '*') return extensions;
  // As Vault: an empty allowed list permits no requested extensions.
  const allowed = list(role.allowed_extensions);
  if (Object.keys(extensions).some((k) => !allowed.includes(k))) throw new InvalidRequest('extensions not on allowed list');
  return extensions;
}

function ttlFor(role: SshRole, req: SignRequest, ctx: SignContext): number {
  const max = role.max_ttl > 0 ? role.max_ttl : ctx.maxLeaseTtl;
  if (req.ttl > 0) {
    if (req.ttl > max) throw new InvalidRequest('ttl is larger than maximum allowed');
    return req.ttl;
  }
  const ttl = role.ttl > 0 ? role.ttl : ctx.defaultLeaseTtl;
  return Math.min(ttl, max);
}

export function planCertificate(role: SshRole, req: SignRequest, ctx: SignContext): CertificatePlan {
  if (req.certType === 'user' && !role.allow_user_certificates) throw new InvalidRequest('user certificates are not allowed by the role');
  if (req.certType === 'host' && !role.allow_host_certificates) throw new InvalidRequest('host certificates are not allowed by the role');
  const lengths = role.allowed_user_key_lengths ?? {};
  if (Object.keys(lengths).length > 0) {
    const min = lengths[ctx.subjectKey.family];
    if (min === undefined) throw new InvalidRequest('the public key type is not allowed by the role');
    if (ctx.subjectKey.bits < min) throw new InvalidRequest('the public key is smaller than the role allows');
  }
  const principals = principalsFor(role, req);
  const ttl = ttlFor(role, req, ctx);
  return {
    certType: req.certType,
    principals,
    keyId: keyIdFor(role, req, ctx),
    validAfter: ctx.nowSeconds - role.not_before_duration,
    validBefore: ctx.nowSeconds + ttl,
    criticalOptions: criticalOptionsFor(role, req),
    extensions: extensionsFor(role, req),
  };
}
