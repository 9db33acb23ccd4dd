import { InvalidRequest } from '../../errors.js';

/** Built-in policy names. */
export const ROOT_POLICY_NAME = 'root';
export const DEFAULT_POLICY_NAME = 'default';
export const RESPONSE_WRAPPING_POLICY_NAME = 'response-wrapping';

/** Policies that can be neither written nor deleted through the API. */
const IMMUTABLE_POLICY_NAMES: ReadonlySet<string> = new Set([ROOT_POLICY_NAME, RESPONSE_WRAPPING_POLICY_NAME]);
/** Policies that may not be attached to tokens or listed to clients as assignable. */
const NON_ASSIGNABLE_POLICY_NAMES: ReadonlySet<string> = new Set([RESPONSE_WRAPPING_POLICY_NAME]);

/** Vault normalises every policy name: surrounding whitespace trimmed, lower-cased. */
export function normalizePolicyName(name: string): string {
  return name.trim().toLowerCase();
}

/** Throws unless the policy may be created or updated. Runs on the normalised name. */
export function assertPolicyWritable(name: string): void {
  const normalized = normalizePolicyName(name);
  if (normalized === '') throw new InvalidRequest('policy name missing');
  if (IMMUTABLE_POLICY_NAMES.has(normalized)) {
    throw new InvalidRequest(`cannot update "${normalized}" policy`);
  }
}

/** Throws unless the policy may be deleted. Runs on the normalised name. */
export function assertPolicyDeletable(name: string): void {
  const normalized = normalizePolicyName(name);
  if (normalized === '') throw new InvalidRequest('policy name missing');
  if (IMMUTABLE_POLICY_NAMES.has(normalized)) {
    throw new InvalidRequest(`cannot delete "${normalized}" policy`);
  }
  if (normalized === DEFAULT_POLICY_NAME) throw new InvalidRequest('cannot delete default policy');
}

/** False for policies a token may never carry explicitly (`response-wrapping`). */
export function isAssignablePolicyName(name: string): boolean {
  return !NON_ASSIGNABLE_POLICY_NAMES.has(normalizePolicyName(name));
}

export function isRootPolicyName(name: string): boolean {
  return normalizePolicyName(name) === ROOT_POLICY_NAME;
}
