export { parsePasswordPolicy, decodePolicyText, DEFAULT_PASSWORD_POLICY, DEFAULT_PASSWORD_POLICY_HCL, type PasswordPolicy, type CharsetRule } from './policy.js';
export { generatePassword, meetsRules } from './generate.js';
export { createPasswordPolicyStore, validatePolicyName, type PasswordPolicyStore } from './store.js';
