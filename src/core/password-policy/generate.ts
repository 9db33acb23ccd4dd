/**
 * Password generation: every character is drawn uniformly from the policy's charset with
 * node:crypto's randomInt (rejection sampling inside, so no modulo bias); a candidate that misses a
 * rule's minimum is discarded whole, so the result is uniform over the passwords the policy allows.
 */
import { randomInt } from 'node:crypto';
import { InvalidRequest } from '../../errors.js';
import type { PasswordPolicy } from './policy.js';

/** Vault gives up after a second; a fixed attempt budget keeps this deterministic and bounded. */
export const MAX_ATTEMPTS = 100_000;

export type RandomIndex = (maxExclusive: number) => number;

export function meetsRules(policy: PasswordPolicy, candidate: string[]): boolean {
  return policy.rules.every((rule) => {
    if (rule.minChars === 0) return true;
    const allowed = new Set(rule.charset);
    let count = 0;
    for (const ch of candidate) if (allowed.has(ch) && ++count >= rule.minChars) return true;
    return false;
  });
}

export function generatePassword(policy: PasswordPolicy, random: RandomIndex = (n) => randomInt(n)): string {
  const { charset, length } = policy;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const candidate: string[] = new Array(length);
    for (let i = 0; i < length; i++) candidate[i] = charset[random(charset.length)];
    if (meetsRules(policy, candidate)) return candidate.join('');
  }
  throw new InvalidRequest('unable to generate password: the policy rules are too unlikely to be met');
}
