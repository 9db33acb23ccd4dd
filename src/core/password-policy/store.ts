/**
 * Named password policies kept behind the barrier (Vault: `sys/password_policy/<name>`, JSON
 * `{"policy": "<hcl>"}`), and generation from a named policy or the default one.
 */
import type { BarrierStorage } from '../../barrier/types.js';
import { InvalidRequest } from '../../errors.js';
import { generatePassword } from './generate.js';
import { DEFAULT_PASSWORD_POLICY, parsePasswordPolicy, type PasswordPolicy } from './policy.js';

const NAME = /^[A-Za-z0-9_.-]+$/;

export function validatePolicyName(name: string): string {
  if (!NAME.test(name) || name.length > 128) throw new InvalidRequest('invalid password policy name');
  return name;
}

export function createPasswordPolicyStore(deps: { storage: Pick<BarrierStorage, 'get' | 'put' | 'delete' | 'list'> }) {
  const { storage } = deps;

  async function getRaw(name: string): Promise<string | undefined> {
    const raw = await storage.get(validatePolicyName(name));
    if (!raw) return undefined;
    const parsed = JSON.parse(raw.toString('utf8')) as { policy?: unknown };
    return typeof parsed.policy === 'string' ? parsed.policy : undefined;
  }

  async function load(name: string): Promise<PasswordPolicy | undefined> {
    const text = await getRaw(name);
    return text === undefined ? undefined : parsePasswordPolicy(text);
  }

  return {
    /** The policy text as written. */
    get: getRaw,
    load,
    /** Validates (parses and generates once, as Vault does) before storing. */
    async put(name: string, text: string): Promise<void> {
      validatePolicyName(name);
      if (text.trim() === '') throw new InvalidRequest('missing policy');
      generatePassword(await parsePasswordPolicy(text));
      await storage.put(name, Buffer.from(JSON.stringify({ policy: text })));
    },
    async delete(name: string): Promise<void> {
      await storage.delete(validatePolicyName(name));
    },
    async list(): Promise<string[]> {
      return (await storage.list('')).filter((k) => !k.endsWith('/')).sort();
    },
    /** From the named policy (InvalidRequest when it does not exist), or the default when no name. */
    async generate(name?: string): Promise<string> {
      if (name === undefined || name === '') return generatePassword(DEFAULT_PASSWORD_POLICY);
      const policy = await load(name);
      if (!policy) throw new InvalidRequest('password policy not found');
      return generatePassword(policy);
    },
  };
}

export type PasswordPolicyStore = ReturnType<typeof createPasswordPolicyStore>;
