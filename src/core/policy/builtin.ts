import {
  DEFAULT_POLICY_NAME, RESPONSE_WRAPPING_POLICY_NAME, ROOT_POLICY_NAME,
} from './names.js';
import type { Policy } from './types.js';

export {
  DEFAULT_POLICY_NAME, RESPONSE_WRAPPING_POLICY_NAME, ROOT_POLICY_NAME,
  assertPolicyDeletable, assertPolicyWritable, isAssignablePolicyName, isRootPolicyName,
} from './names.js';

/**
 * The built-in policies. `root` is implicit (never stored, grants everything); `default` is
 * written at unseal when missing and may then be edited but not deleted; `response-wrapping`
 * is rewritten whenever it differs, can be neither edited nor deleted, and is never assignable.
 * Texts follow Vault CE's vault/policy_store.go (OpenBao's is the same minus `sys/renew` and
 * `sys/control-group/request`).
 */

export const DEFAULT_POLICY_TEXT = `
# Allow tokens to look up their own properties
path "auth/token/lookup-self" {
    capabilities = ["read"]
}

# Allow tokens to renew themselves
path "auth/token/renew-self" {
    capabilities = ["update"]
}

# Allow tokens to revoke themselves
path "auth/token/revoke-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own capabilities on a path
path "sys/capabilities-self" {
    capabilities = ["update"]
}

# Allow a token to look up its own entity by id or name
path "identity/entity/id/{{identity.entity.id}}" {
  capabilities = ["read"]
}
path "identity/entity/name/{{identity.entity.name}}" {
  capabilities = ["read"]
}

# Allow a token to look up its resultant ACL from all policies (used by UIs)
path "sys/internal/ui/resultant-acl" {
    capabilities = ["read"]
}

# Allow a token to renew a lease via lease_id in the request body; old path for
# old clients, new path for newer
path "sys/renew" {
    capabilities = ["update"]
}
path "sys/leases/renew" {
    capabilities = ["update"]
}

# Allow looking up lease properties. This requires knowing the lease ID ahead
# of time and does not divulge any sensitive information.
path "sys/leases/lookup" {
    capabilities = ["update"]
}

# Allow a token to manage its own cubbyhole
path "cubbyhole/*" {
    capabilities = ["create", "read", "update", "delete", "list"]
}

# Allow a token to wrap arbitrary values in a response-wrapping token
path "sys/wrapping/wrap" {
    capabilities = ["update"]
}

# Allow a token to look up the creation time and TTL of a given
# response-wrapping token
path "sys/wrapping/lookup" {
    capabilities = ["update"]
}

# Allow a token to unwrap a response-wrapping token
path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}

# Allow general purpose tools
path "sys/tools/hash" {
    capabilities = ["update"]
}
path "sys/tools/hash/*" {
    capabilities = ["update"]
}

# Allow checking the status of a control group request if the user has the
# accessor
path "sys/control-group/request" {
    capabilities = ["update"]
}

# Allow a token to make requests to the Authorization Endpoint for OIDC providers
path "identity/oidc/provider/+/authorize" {
    capabilities = ["read", "update"]
}
`;

/** Attached to response-wrapping tokens: read the wrapped response, unwrap. */
export const RESPONSE_WRAPPING_POLICY_TEXT = `
path "cubbyhole/response" {
    capabilities = ["create", "read"]
}

path "sys/wrapping/unwrap" {
    capabilities = ["update"]
}
`;

/** The implicit root policy: no rules; compileAcl recognises it by name and allows everything. */
export const ROOT_POLICY: Policy = Object.freeze({
  name: ROOT_POLICY_NAME,
  raw: '',
  paths: Object.freeze([]),
  templated: false,
});

/** Policies the policy store writes at unseal; `overwrite` ones are reset whenever they differ. */
export const STORED_BUILTIN_POLICIES: ReadonlyArray<{ name: string; text: string; overwrite: boolean }> = Object.freeze([
  { name: DEFAULT_POLICY_NAME, text: DEFAULT_POLICY_TEXT, overwrite: false },
  { name: RESPONSE_WRAPPING_POLICY_NAME, text: RESPONSE_WRAPPING_POLICY_TEXT, overwrite: true },
]);
