/**
 * Turns a login's AuthResult into a token: policies (plus `default` unless refused), TTLs
 * clamped to the mount's and the system's maximum, exactly as Vault computes them.
 */
import type { AuthResult } from '../../framework/logical.js';
import type { LiveMount } from '../mounts/manager.js';
import type { CreateTokenParams } from './store.js';

export function sanitizePolicies(policies: string[], addDefault: boolean): string[] {
  const set = new Set(policies.map((p) => p.trim().toLowerCase()).filter((p) => p !== ''));
  if (addDefault && !set.has('root')) set.add('default');
  return [...set].sort();
}

/** The login's token type under the mount's `token_type` tune (Vault's rules). */
export function loginTokenType(wanted: AuthResult['tokenType'], mountType: string | undefined): 'service' | 'batch' {
  if (mountType === 'service' || mountType === 'batch') return mountType;
  if (wanted === 'service' || wanted === 'batch') return wanted;
  return mountType === 'default-batch' ? 'batch' : 'service';
}

export function tokenParamsForLogin(
  auth: AuthResult,
  mount: LiveMount,
  limits: { defaultTtl: number; maxTtl: number },
): CreateTokenParams {
  const maxTtl = Math.min(auth.maxTtlSeconds || limits.maxTtl, limits.maxTtl);
  const wanted = auth.ttlSeconds || limits.defaultTtl;
  const ttl = auth.periodSeconds ? auth.periodSeconds : Math.min(wanted, maxTtl);
  return {
    parent: '',
    policies: sanitizePolicies(auth.policies, !auth.noDefaultPolicy),
    path: `${mount.prefix}login`,
    meta: auth.metadata,
    displayName: `${mount.entry.path.replace(/\/$/, '')}-${auth.displayName}`.replace(/^-/, ''),
    numUses: auth.numUses ?? 0,
    ttl,
    explicitMaxTtl: auth.explicitMaxTtlSeconds ?? 0,
    period: auth.periodSeconds ?? 0,
    renewable: auth.renewable ?? true,
    boundCidrs: auth.boundCidrs,
    noDefaultPolicy: auth.noDefaultPolicy,
    authMount: mount.entry.accessor,
    type: loginTokenType(auth.tokenType, mount.entry.config.tokenType),
    internal: { ...auth.internal, maxTtl },
  };
}
