/** The ACL policy engine: parse Vault policies, compile them into an ACL, built-in policies. */
export { parsePolicy, normalizePolicyName, decodeIfBase64 } from './parse.js';
export { compileAcl } from './acl.js';
export type { Acl, AclDecision, AclOperation, AclRequest, CompileOptions } from './acl.js';
export { canonicalRequestPath, nonCanonicalReason } from './path.js';
export * from './builtin.js';
export type { Capability, ParameterMap, PathRule, Policy } from './types.js';
export { CAPABILITIES } from './types.js';
