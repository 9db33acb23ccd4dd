/**
 * Which policies a new token gets (Vault's resolveTokenPolicies): role allow/deny lists,
 * inheritance from the parent, the subset rule for non-sudo callers, and `default`.
 */
import { InvalidRequest } from '../../errors.js';
import { sanitizePolicies } from '../../core/tokens/mint.js';
import { globListContains, normalizeNames, type TokenRole } from './role.js';

/** Policies that exist for core's own use and may never be attached to a token. */
const NON_ASSIGNABLE = new Set(['response-wrapping', 'control-group']);

export interface PolicyInputs {
  requested: string[];
  noDefaultPolicy: boolean;
  role?: TokenRole;
  parentPolicies: string[];
  isSudo: boolean;
}

function isSubset(superset: string[], subset: string[]): boolean {
  return subset.every((p) => superset.includes(p));
}

export function resolveTokenPolicies(inputs: PolicyInputs): string[] {
  const { requested, noDefaultPolicy, role, parentPolicies, isSudo } = inputs;
  let policies = requested;
  let addDefault = false;

  const roleRestricts = role !== undefined && (role.allowedPolicies.length > 0 || role.disallowedPolicies.length > 0
    || role.allowedPoliciesGlob.length > 0 || role.disallowedPoliciesGlob.length > 0);

  if (role && roleRestricts) {
    const localAddDefault = !noDefaultPolicy && !role.tokenNoDefaultPolicy
      && !role.disallowedPolicies.includes('default') && !globListContains(role.disallowedPoliciesGlob, 'default');
    let final = requested.length > 0 ? sanitizePolicies(requested, localAddDefault) : [];
    if (role.allowedPolicies.length > 0 || role.allowedPoliciesGlob.length > 0) {
      const allowed = sanitizePolicies(role.allowedPolicies, localAddDefault);
      if (final.length === 0) final = allowed;
      else {
        const allowedGlob = normalizeNames(role.allowedPoliciesGlob);
        for (const policy of final) {
          if (!allowed.includes(policy) && !globListContains(allowedGlob, policy)) {
            throw new InvalidRequest("token policies must be subset of the role's allowed policies or glob policies");
          }
        }
      }
    } else if (final.length === 0) {
      final = sanitizePolicies(parentPolicies, localAddDefault);
    }
    if (role.disallowedPolicies.length > 0 || role.disallowedPoliciesGlob.length > 0) {
      const denied = normalizeNames(role.disallowedPolicies);
      const deniedGlob = normalizeNames(role.disallowedPoliciesGlob);
      for (const policy of final) {
        if (denied.includes(policy) || globListContains(deniedGlob, policy)) {
          throw new InvalidRequest('token policy is disallowed by this role');
        }
      }
    }
    policies = final;
  } else if (requested.length === 0) {
    // Inherit the parent's set; `default` only if the parent has it.
    policies = sanitizePolicies(parentPolicies, false);
  } else if (!isSudo) {
    const wanted = sanitizePolicies(requested, false);
    const parent = sanitizePolicies(parentPolicies, false);
    if (!isSubset(parent, wanted)) throw new InvalidRequest('child policies must be subset of parent');
    addDefault = !noDefaultPolicy && parentPolicies.includes('default');
  } else {
    addDefault = !noDefaultPolicy;
  }

  let final = sanitizePolicies(policies, addDefault);
  if (final.includes('root')) final = ['root']; // root stands alone, as Vault's SanitizePolicies
  if (noDefaultPolicy) final = final.filter((p) => p !== 'default');
  for (const policy of final) {
    if (NON_ASSIGNABLE.has(policy)) throw new InvalidRequest('cannot assign a reserved policy to a token');
  }
  return final;
}
