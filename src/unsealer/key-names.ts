/** The names Bank-Vaults stores keys under; a store written by either tool is read by the other. */
export const ROOT_TOKEN_KEY = 'vault-root';
export const TEST_KEY = 'vault-test';

export function unsealKeyName(i: number): string {
  return `vault-unseal-${i}`;
}

export function recoveryKeyName(i: number): string {
  return `vault-recovery-${i}`;
}
